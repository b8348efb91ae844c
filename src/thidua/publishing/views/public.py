"""The public portal: the newsroom's home, column pages, story pages, unit portals, static
pages, search, the bulletin's archive and web edition, and photos."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from thidua.core.uploads import file_url, private_storage
from thidua.org.models import Unit
from thidua.publishing import forms, selectors
from thidua.publishing.models import StaticPage
from thidua.publishing.richtext import plain_text

PER_PAGE = 20


def news_home(request: HttpRequest) -> HttpResponse:
    archive = selectors.archive(limit=6)
    return render(
        request,
        "publishing/public/home.html",
        {
            "sections": selectors.latest_by_column(per_column=5),
            "latest": list(selectors.public_stories()[:6]),
            "current_issue": archive[0] if archive else None,
            "search_form": forms.SearchForm(),
        },
    )


def story(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    item = selectors.get_public_story(pk)
    if slug != item.slug:
        return redirect(item.get_absolute_url(), permanent=True)
    revision = item.live_revision
    photos = list(revision.photos.all())
    alternates = []
    if item.translation_of_id or item.translations.all():
        family = [item.translation_of] if item.translation_of_id else []
        family += list(item.translations.all())
        alternates = [
            (s.language, request.build_absolute_uri(s.get_absolute_url()))
            for s in family
            if s is not None and s.is_live
        ]
    return render(
        request,
        "publishing/public/story.html",
        {
            "story": item,
            "revision": revision,
            "photos": photos,
            "links": list(item.links.all()),
            "alternates": alternates,
            "canonical": request.build_absolute_uri(item.get_absolute_url()),
            "og_image": request.build_absolute_uri(photos[0].url(960, "jpg")) if photos else "",
            "description": plain_text(revision.lead)[:300],
            "related": list(
                selectors.public_stories().filter(column=item.column).exclude(pk=item.pk)[:4]
            ),
        },
    )


def column(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    chosen = get_object_or_404(selectors.public_columns(), pk=pk)
    stories = selectors.public_stories().filter(column=chosen)
    page = Paginator(stories, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "publishing/public/column.html", {"column": chosen, "page": page})


def unit_portal(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("kind", "parent"), pk=pk)
    page = Paginator(selectors.unit_stories(unit), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/public/unit.html",
        {
            "unit": unit,
            "page": page,
            "sections": selectors.latest_by_column(unit=unit, per_column=3),
            "pages": list(StaticPage.objects.filter(unit=unit)),
        },
    )


def static_page(request: HttpRequest, unit_pk: int, slug: str) -> HttpResponse:
    page = get_object_or_404(StaticPage.objects.select_related("unit"), unit_id=unit_pk, slug=slug)
    return render(request, "publishing/public/page.html", {"page": page})


def search(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = selectors.search(form.cleaned_data["q"])
    return render(request, "publishing/public/search.html", {"form": form, "results": results})


def issue_archive(request: HttpRequest) -> HttpResponse:
    return render(
        request, "publishing/public/archive.html", {"archive": selectors.archive(limit=200)}
    )


def issue_web(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_public_issue(pk)
    return render(
        request,
        "publishing/public/issue.html",
        {
            "issue": issue,
            "slots": list(selectors.issue_slots(issue)),
            "pdf_url": file_url("bulletin-pdf", issue.pk) if issue.pdf_sha256 else "",
        },
    )


EXTENSIONS = {"webp": "image/webp", "jpg": "image/jpeg"}


def photo(request: HttpRequest, pk: int, width: int, extension: str) -> HttpResponse:
    """A rendition of a photo that may be seen here (a live story's, a published issue's, or a
    story the visitor works on)."""
    item = selectors.public_photo(pk, request.user)
    name = item.renditions.get(f"{width}.{extension}")
    if not name or extension not in EXTENSIONS:
        raise Http404
    storage = private_storage()
    if not storage.exists(name):
        raise Http404
    response = FileResponse(storage.open(name, "rb"), content_type=EXTENSIONS[extension])
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_public_issue(pk)
    if not issue.pdf_sha256:
        raise Http404
    return redirect(reverse("core:file", args=["bulletin-pdf", issue.pk]))
