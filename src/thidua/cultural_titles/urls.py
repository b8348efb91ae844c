from django.urls import path

from thidua.core.public_cache import public_page
from thidua.cultural_titles import views

app_name = "cultural_titles"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/households/", views.import_register, name="import_register"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/propose-area/", views.propose_area, name="propose_area"),
    path("<int:pk>/form-06.pdf", views.council_minutes, name="council_minutes"),
    path("decisions/<int:pk>/", views.annex, name="annex"),
    path("decisions/<int:pk>/certificates/", views.certificates, name="certificates"),
    path("decisions/<int:pk>/prints/", views.prints, name="prints"),
    path("prints/<int:pk>/", views.print_progress, name="print"),
    path("prints/<int:pk>/certificates.pdf", views.print_file, name="print_file"),
    path("register/areas/<int:pk>/", views.register_area, name="register"),
    path("register/households/<int:pk>/", views.household_detail, name="household"),
    path("areas/<int:pk>/", views.area_detail, name="area"),
    path("areas/<int:pk>/grid/", views.area_grid, name="grid"),
    path("areas/<int:pk>/template.xlsx", views.area_template, name="template"),
    path("areas/<int:pk>/minutes.pdf", views.area_minutes, name="minutes"),
    path("areas/<int:pk>/list-<int:version>.pdf", views.area_pdf, name="pdf"),
    path("areas/<int:pk>/<slug:action>/", views.area_action, name="action"),
]

# The posted lists open and close with the calendar, not with a change of data: never cached.
public_urlpatterns = [
    path("cultural-titles/", public_page("cultural_titles")(views.public_rounds), name="rounds"),
    path("cultural-titles/<int:pk>/", views.public_round, name="round"),
    path("cultural-titles/areas/<int:pk>/", views.public_area, name="area"),
    path("cultural-titles/areas/<int:pk>/list.pdf", views.public_area_pdf, name="area_pdf"),
    path(
        "cultural-titles/decisions/<int:pk>/",
        public_page("cultural_titles")(views.public_annex),
        name="annex",
    ),
]
