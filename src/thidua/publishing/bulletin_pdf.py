"""The print edition of a bulletin issue with WeasyPrint.

The research on WeasyPrint (multi-column pagination is lightly tested; flex and grid do not
split across pages) shapes the layout: each planned page is a fixed A4 sheet holding whole story
blocks; CSS columns are used only inside a story for its running text. Fonts are the system's
DejaVu families (the same as the certificates'), embedded in the PDF; nothing is fetched from
outside: the URL fetcher answers only this site's stored photos and data: URLs."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from thidua.core.pdf import render_pdf
from thidua.core.uploads import private_storage
from thidua.publishing.models import Issue, IssueSlot


def print_image(photo: Any) -> str:
    name = photo.renditions.get("2480.jpg") or photo.renditions.get("960.jpg")
    if not name:
        return ""
    return "file://" + str(Path(private_storage().path(name)).resolve())


def issue_pages(issue: Issue) -> list[dict]:
    """The planned pages, each with its slots in order (frozen revisions and their photos)."""
    slots = (
        IssueSlot.objects.filter(issue=issue)
        .select_related("revision", "story__owner_unit", "story__column")
        .prefetch_related("revision__photos")
        .order_by("page", "position", "id")
    )
    by_page: dict[int, list] = defaultdict(list)
    for slot in slots:
        by_page[slot.page].append(slot)
    last = max([issue.planned_pages, *by_page.keys()])
    return [{"number": n, "slots": by_page.get(n, [])} for n in range(1, last + 1)]


def issue_html(issue: Issue) -> str:
    pages = issue_pages(issue)
    for page in pages:
        for slot in page["slots"]:
            slot.print_photos = [
                {"src": print_image(photo), "photo": photo} for photo in slot.revision.photos.all()
            ]
    with translation.override("vi"):
        return render_to_string(
            "publishing/bulletin_pdf.html",
            {
                "issue": issue,
                "pages": pages,
                "running_header": f"{issue.bulletin} · số {issue.number} · "
                f"{issue.issued_on:%d/%m/%Y}".replace('"', "'"),
            },
        )


def issue_pdf(issue: Issue) -> bytes:
    return render_pdf(issue_html(issue))
