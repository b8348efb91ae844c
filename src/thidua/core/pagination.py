"""Pagination for the pages: one helper instead of a copy in every view."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int) -> tuple[Page, str]:
    """The page of `items` asked for by `?page=` (a bad or out-of-range number gives the first
    or last page), and the request's other query parameters, url-encoded, for the page links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
