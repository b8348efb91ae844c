from django.urls import path

from thidua.org import views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/children/", views.children_partial, name="children"),
    path("<int:pk>/grants/", views.grant_role, name="grant_role"),
    path("<int:pk>/grants/<int:grant_pk>/end/", views.end_grant, name="end_grant"),
    path("restructurings/", views.restructuring_list, name="restructuring_list"),
    path("restructurings/new/", views.restructuring_new, name="restructuring_new"),
    path("restructurings/<int:pk>/undo/", views.restructuring_undo, name="restructuring_undo"),
]
