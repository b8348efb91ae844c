"""RSS 2.0 and Atom feeds (django.contrib.syndication): every story, per column, per unit,
and the bulletin's issues."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from thidua.org.models import Unit
from thidua.publishing import selectors

ITEMS = 30


class StoryFeed(Feed):
    def title(self, obj=None) -> str:
        return _("News of the Fatherland Front")

    def link(self, obj=None) -> str:
        return reverse("public_publishing:home")

    def description(self, obj=None) -> str:
        return _("The latest stories of the portal.")

    def items(self, obj=None):
        return selectors.public_stories()[:ITEMS]

    def item_title(self, item) -> str:
        return item.live_title

    def item_description(self, item) -> str:
        return item.live_lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item) -> str:
        return item.byline

    def item_categories(self, item):
        return [item.column.display_name]


class AtomStoryFeed(StoryFeed):
    feed_type = Atom1Feed
    subtitle = StoryFeed.description


class ColumnFeed(StoryFeed):
    def get_object(self, request, pk: int):
        return get_object_or_404(selectors.public_columns(), pk=pk)

    def title(self, obj=None) -> str:
        return obj.display_name

    def link(self, obj=None) -> str:
        return obj.get_absolute_url()

    def items(self, obj=None):
        return selectors.public_stories().filter(column=obj)[:ITEMS]


class AtomColumnFeed(ColumnFeed):
    feed_type = Atom1Feed
    subtitle = StoryFeed.description


class UnitFeed(StoryFeed):
    def get_object(self, request, pk: int):
        return get_object_or_404(Unit, pk=pk)

    def title(self, obj=None) -> str:
        return _("News of %(unit)s") % {"unit": obj.display_name}

    def link(self, obj=None) -> str:
        return reverse("public_publishing:unit", args=[obj.pk])

    def items(self, obj=None):
        return selectors.unit_stories(obj)[:ITEMS]


class AtomUnitFeed(UnitFeed):
    feed_type = Atom1Feed
    subtitle = StoryFeed.description


class IssueFeed(Feed):
    def title(self) -> str:
        return _("Bulletin issues")

    def link(self) -> str:
        return reverse("public_publishing:archive")

    def description(self) -> str:
        return _("Every published issue of the bulletin.")

    def items(self):
        return selectors.public_issues()[:ITEMS]

    def item_title(self, item) -> str:
        return str(item)

    def item_description(self, item) -> str:
        return item.masthead or str(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


class AtomIssueFeed(IssueFeed):
    feed_type = Atom1Feed
    subtitle = IssueFeed.description
