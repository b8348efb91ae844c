from django.urls import path

from thidua.core.public_cache import public_page
from thidua.movements import views, views_offline

app_name = "movements"

urlpatterns = [
    path("", views.movement_list, name="list"),
    path("new/", views.movement_create, name="create"),
    path("<int:pk>/", views.movement_detail, name="detail"),
    path("<int:pk>/launch/", views.movement_launch, name="launch"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/registrations/<int:rid>/", views.registration_detail, name="registration"),
    path(
        "<int:pk>/registrations/<int:rid>/decide/",
        views.registration_decide,
        name="registration_decide",
    ),
    path("<int:pk>/works/<int:wid>/", views.work_update, name="work_update"),
    path("<int:pk>/report/", views.report_edit, name="report_edit"),
    path("<int:pk>/reports/<int:rid>/", views.report_detail, name="report"),
    path("<int:pk>/reports/<int:rid>/decide/", views.report_decide, name="report_decide"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/dashboard.xlsx", views.dashboard_export, name="dashboard_export"),
    path(
        "<int:pk>/offline/template.xlsx", views_offline.template_download, name="offline_template"
    ),
    path("<int:pk>/offline/", views_offline.upload, name="offline_upload"),
    path("<int:pk>/offline/jobs/<int:job_id>/", views_offline.job_status, name="offline_job"),
]

public_urlpatterns = [
    path("", public_page("movements")(views.public_movement_list), name="public_list"),
    path(
        "<slug:slug>/",
        public_page("movements", "publishing")(views.public_movement),
        name="public_detail",
    ),
]
