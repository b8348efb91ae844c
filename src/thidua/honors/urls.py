from django.urls import path

from thidua.honors import views

app_name = "honors"

urlpatterns = [
    path("", views.home, name="home"),
]

public_urlpatterns: list = []
