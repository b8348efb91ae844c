from django.urls import path

from thidua.core.public_cache import public_page
from thidua.surveys import views, views_public, views_questionnaires

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("launch/", views.survey_launch, name="launch"),
    path("questionnaires/", views_questionnaires.questionnaire_list, name="questionnaires"),
    path(
        "questionnaires/new/",
        views_questionnaires.questionnaire_create,
        name="questionnaire_create",
    ),
    path(
        "questionnaires/<int:pk>/",
        views_questionnaires.questionnaire_detail,
        name="questionnaire",
    ),
    path(
        "questionnaires/<int:pk>/preview/",
        views_questionnaires.questionnaire_preview,
        name="questionnaire_preview",
    ),
    path(
        "questionnaires/<int:pk>/questions/new/",
        views_questionnaires.question_edit,
        name="question_add",
    ),
    path(
        "questionnaires/<int:pk>/questions/<str:code>/",
        views_questionnaires.question_edit,
        name="question_edit",
    ),
    path(
        "questionnaires/<int:pk>/questions/<str:code>/<slug:action>/",
        views_questionnaires.question_action,
        name="question_action",
    ),
    path("reports/", views.reports_received, name="reports"),
    path("reports/<int:report>/receive/", views.receive_report, name="receive_report"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/export/", views.export_status, name="export_status"),
    path("<int:pk>/post/", views.survey_post, name="post"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/summary.pdf", views.export_pdf, name="export_pdf"),
    path("<int:pk>/areas/<int:area>/", views.keying, name="keying"),
    path("<int:pk>/areas/<int:area>/forms/", views.area_forms, name="area_forms"),
    path("<int:pk>/<slug:action>/", views.survey_action, name="action"),
]

cached = public_page("surveys")  # until a survey changes

public_urlpatterns = [
    path("", cached(views_public.public_list), name="list"),
    path("sw.js", views_public.service_worker, name="service_worker"),
    path("<int:pk>/", cached(views_public.public_detail), name="detail"),
    path("<int:pk>/results.json", cached(views_public.public_json), name="json"),
    path("<int:pk>/results.csv", cached(views_public.public_csv), name="csv"),
    path("<int:pk>/answer/", views_public.answer, name="answer"),
]
