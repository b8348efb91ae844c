from django.urls import path

from thidua.core.public_cache import public_page
from thidua.honors import views, views_decisions, views_public, views_upward

app_name = "honors"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/settings/", views.award_type_settings, name="award_settings"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/nominate/", views.nomination_create, name="nomination_create"),
    path("rounds/<int:pk>/decide/", views.decision_create, name="decision_create"),
    path("rounds/<int:pk>/notice/", views.notice_publish, name="notice_publish"),
    path("nominate/<slug:kind>/<int:pk>/", views.nomination_propose, name="nomination_propose"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/decide/", views.nomination_decide, name="nomination_decide"),
    path("nominations/<int:pk>/vote/", views.nomination_vote, name="nomination_vote"),
    path("decisions/<int:pk>/", views_decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/annex.xlsx", views_decisions.decision_export, name="decision_export"),
    path(
        "decisions/<int:pk>/certificates/",
        views_decisions.certificate_batch_start,
        name="certificate_batch_start",
    ),
    path(
        "decisions/<int:pk>/certificates/<int:batch_id>/",
        views_decisions.certificate_batch,
        name="certificate_batch",
    ),
    path(
        "decisions/<int:pk>/certificates/<int:batch_id>/certificates.zip",
        views_decisions.certificate_batch_archive,
        name="certificate_batch_archive",
    ),
    path("certificates/<int:pk>/pdf/", views_decisions.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/revoke/",
        views_decisions.certificate_revoke,
        name="certificate_revoke",
    ),
    path("registry/", views_public.registry, name="registry"),
    # proposals to bodies outside the Front ("khen cao")
    path("upward/", views_upward.upward_list, name="upward_list"),
    path("upward/new/", views_upward.upward_create, name="upward_create"),
    path("upward/<int:pk>/", views_upward.upward_detail, name="upward_detail"),
    path("upward/<int:pk>/documents/", views_upward.upward_document, name="upward_document"),
    path(
        "upward/<int:pk>/package.zip", views_upward.upward_package_download, name="upward_package"
    ),
    path("upward/<int:pk>/send/", views_upward.upward_send, name="upward_send"),
    path(
        "upward/<int:pk>/acknowledge/", views_upward.upward_acknowledge, name="upward_acknowledge"
    ),
    path("upward/<int:pk>/return/", views_upward.upward_return, name="upward_return"),
    path("upward/<int:pk>/decision/", views_upward.upward_decision, name="upward_decision"),
    path("upward/<int:pk>/refusal/", views_upward.upward_refusal, name="upward_refusal"),
]

public_urlpatterns = [
    path("verify/", public_page("honors")(views_public.verify_form), name="verify_form"),
    path(
        "verify/decision/",
        public_page("honors")(views_upward.verify_outside),
        name="verify_outside",
    ),
    path(
        "verify/<str:serial>/",
        public_page("honors", "publishing")(views_public.verify),
        name="verify",
    ),
    path("honors/notices/", public_page("honors")(views_public.public_notices), name="notices"),
    path(
        "honors/notices/<int:pk>/", public_page("honors")(views_public.public_notice), name="notice"
    ),
]
