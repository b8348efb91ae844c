import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from thidua import front, staff
from thidua.api.router import api, unknown_path
from thidua.clusters import urls as clusters_urls
from thidua.core import health
from thidua.core import urls as core_urls
from thidua.core.public_cache import public_page
from thidua.cultural_titles import urls as cultural_title_urls
from thidua.honors import urls as honor_urls
from thidua.initiatives import urls as initiative_urls
from thidua.mobilization import urls as mobilization_urls
from thidua.movements import urls as movement_urls
from thidua.practices import urls as practice_urls
from thidua.publishing import urls as publishing_urls
from thidua.publishing.sitemaps import SITEMAPS
from thidua.surveys import urls as survey_urls
from thidua.training import urls as training_urls

# the front door and the sitemap show a little of every kind of public page
PUBLIC_KINDS = (
    "movements",
    "initiatives",
    "practices",
    "honors",
    "surveys",
    "publishing",
    "mobilization",
    "cultural_titles",
)
home = public_page(*PUBLIC_KINDS)(front.home)
every_public_kind = public_page(*PUBLIC_KINDS)

urlpatterns = [
    # The front door keeps the name `core:home`; it composes every app, so it lives beside
    # urls.py (front.py) rather than in core, which imports no app.
    path(
        "",
        include(
            (
                [
                    path("", home, name="home"),
                    *core_urls.urlpatterns,
                ],
                "core",
            )
        ),
    ),
    path("staff/", staff.staff_home, name="staff_home"),
    path("p/me/", front.my_page, name="my_page"),
    path("work/", staff.work_inbox, name="work"),
    path("work/badge/", staff.work_badge, name="work_badge"),
    path("work/notifications/read/", staff.notifications_read, name="notifications_read"),
    path("accounts/", include("thidua.accounts.urls")),
    path("units/", include("thidua.org.urls")),
    path("movements/", include("thidua.movements.urls")),
    path(
        "p/movements/",
        include((movement_urls.public_urlpatterns, "public_movements")),
    ),
    path("practices/", include("thidua.practices.urls")),
    path("p/", include((practice_urls.public_urlpatterns, "public_practices"))),
    path("initiatives/", include("thidua.initiatives.urls")),
    path("p/", include((initiative_urls.public_urlpatterns, "public_initiatives"))),
    path("honors/", include("thidua.honors.urls")),
    # the typed certificate check finds training certificates too (before honours' own route,
    # so `public_honors:verify_form` and every form pointing at it land here)
    path(
        "p/verify/",
        public_page("honors", "training")(front.certificate_check),
        name="certificate_check",
    ),
    path("p/", include((honor_urls.public_urlpatterns, "public_honors"))),
    path("surveys/", include("thidua.surveys.urls")),
    path("p/surveys/", include((survey_urls.public_urlpatterns, "public_surveys"))),
    path("publishing/", include("thidua.publishing.urls")),
    path("news/", include((publishing_urls.public_urlpatterns, "public_publishing"))),
    path(
        "sitemap.xml",
        every_public_kind(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        every_public_kind(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("cultural/", include("thidua.cultural_titles.urls")),
    path("p/", include((cultural_title_urls.public_urlpatterns, "public_cultural_titles"))),
    path("mobilization/", include("thidua.mobilization.urls")),
    path("p/", include((mobilization_urls.public_urlpatterns, "public_mobilization"))),
    path("training/", include("thidua.training.urls")),
    path("reports/", include("thidua.reports.urls")),
    path("p/training/", include((training_urls.public_urlpatterns, "public_training"))),
    path("clusters/", include("thidua.clusters.urls")),
    path("p/clusters/", include((clusters_urls.public_urlpatterns, "public_clusters"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_path),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
]

handler403 = "thidua.core.views.permission_denied"
handler404 = "thidua.core.views.page_not_found"
handler500 = "thidua.core.views.server_error"

if settings.SERVE_MEDIA:
    # The demo and development serve uploads themselves, DEBUG or not (django's static() helper
    # only does with DEBUG on); production serves them from its web server or object storage.
    from thidua.core.views import media

    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media),
    ]
