"""The site's URLs plus one page that fails, to see the 500 page a visitor gets."""

from django.urls import path

from thidua.urls import *  # noqa: F403
from thidua.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
