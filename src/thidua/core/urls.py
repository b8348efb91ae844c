from django.urls import path

from thidua.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("files/<slug:kind>/<int:pk>/", views.private_file, name="file"),
]
