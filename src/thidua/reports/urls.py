from django.urls import path

from thidua.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/cells/<str:row>/<str:column>/", views.cell, name="cell"),
    path("<int:pk>/form.xlsx", views.report_xlsx, name="xlsx"),
    path("<int:pk>/form.pdf", views.report_pdf, name="pdf"),
    path("<int:pk>/recompute/", views.recompute, name="recompute"),
    path("<int:pk>/adjust/", views.adjust, name="adjust"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
]
