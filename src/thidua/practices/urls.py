from django.urls import path

from thidua.core.public_cache import public_page
from thidua.practices import views

app_name = "practices"

urlpatterns = [
    path("", views.practice_list, name="list"),
    path("new/", views.practice_create, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.practice_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.practice_action, name="action"),
    path("exemplars/", views.exemplar_list, name="exemplar_list"),
    path("exemplars/new/", views.exemplar_create, name="exemplar_create"),
    path("exemplars/<int:pk>/", views.exemplar_detail, name="exemplar_detail"),
    path("exemplars/<int:pk>/decide/", views.exemplar_decide, name="exemplar_decide"),
]

cached = public_page("practices", "publishing")  # a practice, an exemplar or a story about one

public_urlpatterns = [
    path("practices/", cached(views.public_practice_list), name="practice_list"),
    path(
        "practices/<int:pk>/",
        cached(views.public_practice),
        name="practice_detail",
    ),
    path("exemplars/", cached(views.public_exemplar_list), name="exemplar_list"),
    path(
        "exemplars/<int:pk>/",
        cached(views.public_exemplar),
        name="exemplar_detail",
    ),
]
