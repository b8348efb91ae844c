from django.urls import path

from thidua.core.public_cache import public_page
from thidua.initiatives import views, views_duplicates, views_intelligence, views_public

app_name = "initiatives"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.call_create, name="call_create"),
    path("councils/new/", views.council_create, name="council_create"),
    path("<int:pk>/", views.call_detail, name="call_detail"),
    path("<int:pk>/status/", views.call_status, name="call_status"),
    path("<int:pk>/auto-assign/", views.call_auto_assign, name="auto_assign"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/deliberation/", views.deliberation, name="deliberation"),
    path("<int:pk>/intelligence/", views_intelligence.intelligence, name="intelligence"),
    path("<int:pk>/finalise/", views.finalise, name="finalise"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/minutes.pdf", views.minutes, name="minutes"),
    path("<int:pk>/minutes/status/", views.minutes_status, name="minutes_status"),
    path("<int:pk>/submissions/<int:sid>/", views.submission_detail, name="submission"),
    path("<int:pk>/submissions/<int:sid>/review/", views.review_edit, name="review"),
    path("<int:pk>/submissions/<int:sid>/vote/", views.vote, name="vote"),
    path(
        "<int:pk>/submissions/<int:sid>/duplicates/<int:cid>/",
        views_duplicates.duplicate_compare,
        name="duplicate",
    ),
    path(
        "<int:pk>/submissions/<int:sid>/<slug:action>/",
        views.submission_action,
        name="submission_action",
    ),
]

public_urlpatterns = [
    path("calls/", public_page("initiatives")(views_public.public_call_list), name="call_list"),
    path("calls/<slug:slug>/", public_page("initiatives")(views_public.public_call), name="call"),
    path("calls/<slug:slug>/submit/", views_public.public_submit, name="submit"),
    path("submissions/<str:token>/", views_public.submission_status, name="status"),
    path("submissions/<str:token>/confirm/", views_public.submission_confirm, name="confirm"),
    path("submissions/<str:token>/withdraw/", views_public.submission_withdraw, name="withdraw"),
    path(
        "initiatives/",
        public_page("initiatives", "publishing")(views_public.public_recognised),
        name="recognised",
    ),
]
