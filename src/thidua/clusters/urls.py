from django.urls import path

from thidua.clusters import views
from thidua.core.public_cache import public_page

app_name = "clusters"

urlpatterns = [
    path("", views.cluster_list, name="list"),
    path("new/", views.cluster_create, name="create"),
    path("<int:pk>/", views.cluster_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.cluster_action, name="cluster_action"),
    path("<int:pk>/pledge/<int:year>.pdf", views.pledge_pdf, name="pledge_pdf"),
    path("chains/<int:unit_pk>/", views.chain, name="chain"),
    path("tables/", views.table_list, name="tables"),
    path("tables/new/", views.table_create, name="table_create"),
    path("tables/<int:pk>/", views.table_detail, name="table"),
    path("tables/<int:pk>/do/<slug:action>/", views.table_action, name="table_action"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/do/<slug:action>/", views.review_action, name="review_action"),
    path("reviews/<int:pk>/summary.xlsx", views.review_xlsx, name="review_xlsx"),
    path("reviews/<int:pk>/minutes.pdf", views.review_minutes, name="review_minutes"),
    path("reviews/<int:pk>/flag-letter.pdf", views.review_letter, name="review_letter"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/scores/", views.sheet_scores, name="sheet_scores"),
    path("sheets/<int:pk>/evidence/", views.sheet_evidence, name="sheet_evidence"),
    path("sheets/<int:pk>/transition/", views.sheet_transition, name="sheet_transition"),
]

public_urlpatterns = [
    path("", public_page("clusters")(views.public_list), name="list"),
    path("reviews/<int:pk>/", public_page("clusters")(views.public_review), name="review"),
]
