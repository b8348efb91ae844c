from django.urls import path

from thidua.core import views

app_name = "core"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("language/", views.choose_language, name="language"),
    path("files/<slug:kind>/<int:pk>/", views.private_file, name="file"),
]
