"""sitemap.xml (django.contrib.sitemaps): every public page with its last change."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from thidua.initiatives import selectors as initiatives
from thidua.movements import selectors as movements
from thidua.org.models import Unit
from thidua.practices import selectors as practices
from thidua.publishing import selectors
from thidua.publishing.models import StaticPage

LIMIT = 5000


class StorySitemap(Sitemap):
    changefreq = "weekly"
    limit = LIMIT

    def items(self):
        return selectors.public_stories().only("pk", "slug", "updated_at").select_related(None)

    def lastmod(self, item):
        return item.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(
            selectors.public_columns().annotate(last=Max("stories__updated_at")).order_by("pk")
        )

    def lastmod(self, item):
        return item.last


class UnitPortalSitemap(Sitemap):
    """The portals of the units that have published a story."""

    changefreq = "daily"

    def items(self):
        ids = selectors.public_stories().values("owner_unit_id").distinct()
        return list(Unit.objects.filter(pk__in=ids).order_by("pk"))

    def location(self, item):
        return reverse("public_publishing:unit", args=[item.pk])


class StaticPageSitemap(Sitemap):
    def items(self):
        return StaticPage.objects.order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class IssueSitemap(Sitemap):
    def items(self):
        return selectors.public_issues()

    def lastmod(self, item):
        return item.published_at


class FixedPagesSitemap(Sitemap):
    """The lists of every app's public side."""

    changefreq = "daily"

    def items(self):
        return [
            "core:home",
            "public_publishing:home",
            "public_publishing:archive",
            "public_movements:public_list",
            "public_initiatives:call_list",
            "public_initiatives:recognised",
            "public_practices:practice_list",
            "public_practices:exemplar_list",
            "public_honors:notices",
            "public_honors:verify_form",
        ]

    def location(self, item):
        return reverse(item)


class ExemplarSitemap(Sitemap):
    limit = LIMIT

    def items(self):
        return practices.public_exemplars().select_related(None).order_by("pk").only("pk")

    def location(self, item):
        return reverse("public_practices:exemplar_detail", args=[item.pk])


class PracticeSitemap(Sitemap):
    limit = LIMIT

    def items(self):
        return practices.public_practices().select_related(None).order_by("pk").only("pk")

    def location(self, item):
        return reverse("public_practices:practice_detail", args=[item.pk])


class MovementSitemap(Sitemap):
    def items(self):
        return (
            movements.public_movements()
            .select_related(None)
            .prefetch_related(None)
            .order_by("pk")
            .only("pk", "slug")
        )

    def location(self, item):
        return reverse("public_movements:public_detail", args=[item.slug])


class CallSitemap(Sitemap):
    def items(self):
        return initiatives.public_calls().select_related(None).order_by("pk").only("pk", "slug")

    def location(self, item):
        return reverse("public_initiatives:call", args=[item.slug])


SITEMAPS = {
    "pages": FixedPagesSitemap,
    "stories": StorySitemap,
    "columns": ColumnSitemap,
    "units": UnitPortalSitemap,
    "static": StaticPageSitemap,
    "bulletin": IssueSitemap,
    "exemplars": ExemplarSitemap,
    "practices": PracticeSitemap,
    "movements": MovementSitemap,
    "calls": CallSitemap,
}
