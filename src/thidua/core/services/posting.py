"""Posting windows: publish a list for N days for comments, take comments, answer them, and
reissue a corrected list as a new version (the old kept, marked superseded).

Core knows no app: a posting's subject is a string key ("cultural_titles.area:12") and the
calling app's service checks its own permission before calling these functions (they are
building blocks of services, never called from views). Rules enforced here:
- the frozen rows and the notice-board PDF are stored with the PDF's SHA-256;
- the public reads a posting's rows only while it is open (`public_entries`);
- a web comment is taken only while the posting is open; the committee may enter one later;
- a resolution is required to close a comment, and is final.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.models import Posting, PostingComment


def current(key: str) -> Posting | None:
    """The latest version posted for a subject."""
    return Posting.objects.filter(key=key).order_by("-version").first()


def versions(key: str) -> list[Posting]:
    return list(Posting.objects.filter(key=key).order_by("-version"))


def publish(
    actor: Any,
    *,
    key: str,
    unit: Any,
    title: str,
    starts_on: dt.date,
    days: int,
    columns: list[str],
    entries: list[list[Any]],
    pdf: bytes = b"",
    change_note: str = "",
    verb: str = "core.publish_posting",
) -> Posting:
    """Post a list from `starts_on` for `days` days (the last day included). Posting again under
    the same key makes a new version and marks the previous one superseded."""
    if days < 1:
        raise ValidationError(_("A posting lasts at least one day."))
    with transaction.atomic():
        previous = Posting.objects.select_for_update().filter(key=key).order_by("-version").first()
        posting = Posting(
            key=key,
            version=(previous.version + 1) if previous else 1,
            unit=unit,
            title=title[:300],
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=days - 1),
            columns=[str(c) for c in columns],
            entries=entries,
            change_note=change_note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if pdf:
            posting.pdf_hash = hashlib.sha256(pdf).hexdigest()
            posting.pdf.save("posting.pdf", ContentFile(pdf), save=False)
        posting.save()
        if previous is not None and previous.superseded_at is None:
            previous.superseded_at = timezone.now()
            previous.save(update_fields=["superseded_at"])
        audit.record(
            actor,
            verb,
            posting,
            {
                "key": key,
                "version": posting.version,
                "rows": len(entries),
                "hash": posting.pdf_hash,
            },
            unit=unit,
        )
    return posting


def reissue(
    actor: Any,
    *,
    posting: Posting,
    entries: list[list[Any]],
    pdf: bytes = b"",
    change_note: str,
    today: dt.date | None = None,
    verb: str = "core.reissue_posting",
) -> Posting:
    """A corrected list as a new version. The window keeps its length, counted from today when
    the correction changes results (a resident must have the full time to read the new list)."""
    today = today or timezone.localdate()
    days = (posting.ends_on - posting.starts_on).days + 1
    return publish(
        actor,
        key=posting.key,
        unit=posting.unit,
        title=posting.title,
        starts_on=today,
        days=days,
        columns=posting.columns,
        entries=entries,
        pdf=pdf,
        change_note=change_note,
        verb=verb,
    )


def public_entries(posting: Posting | None, *, today: dt.date | None = None) -> list[list[Any]]:
    """The rows the public may read: only while the posting is open."""
    if posting is None or not posting.is_open_on(today or timezone.localdate()):
        return []
    return posting.entries


def add_comment(
    actor: Any,
    *,
    posting: Posting,
    name: str,
    text: str,
    contact: str = "",
    about: str = "",
    source: str = PostingComment.Source.WEB,
    today: dt.date | None = None,
) -> PostingComment:
    """Take a comment: on the web only while the posting is open."""
    today = today or timezone.localdate()
    name = " ".join((name or "").split())[:120]
    text = (text or "").strip()[:2000]
    errors = {}
    if not name:
        errors["name"] = _("Write your name.")
    if not text:
        errors["text"] = _("Write your comment.")
    if errors:
        raise ValidationError(errors)
    if source == PostingComment.Source.WEB and not posting.is_open_on(today):
        raise ValidationError(_("This posting is closed: comments are no longer taken here."))
    is_user = getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        comment = PostingComment.objects.create(
            posting=posting,
            source=source,
            name=name,
            contact=(contact or "").strip()[:200],
            text=text,
            about=(about or "").strip()[:100],
            author=actor if is_user else None,
        )
        audit.record(
            actor if is_user else "public",
            "core.comment_on_posting",
            comment,
            {"posting": posting.pk, "source": source},
            unit=posting.unit,
        )
    return comment


def resolve_comment(
    actor: Any, *, comment: PostingComment, resolution: str, changes_result: bool = False
) -> PostingComment:
    """Answer a comment. The answer is final (a second one is refused)."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Write how the comment was resolved.")})
    if comment.resolved_at is not None:
        raise ValidationError(_("This comment is already resolved."))
    with transaction.atomic():
        comment.resolution = resolution[:2000]
        comment.changes_result = changes_result
        comment.resolved_at = timezone.now()
        comment.resolved_by = actor if getattr(actor, "pk", None) else None
        comment.save(update_fields=["resolution", "changes_result", "resolved_at", "resolved_by"])
        audit.record(
            actor,
            "core.resolve_posting_comment",
            comment,
            {"changes_result": changes_result},
            unit=comment.posting.unit,
        )
    return comment


def open_comments(posting_ids: list[int]) -> dict[int, int]:
    """Unresolved comments per posting, in one query."""
    rows = (
        PostingComment.objects.filter(posting_id__in=posting_ids, resolved_at__isnull=True)
        .values("posting_id")
        .annotate(n=Count("id"))
    )
    return {row["posting_id"]: row["n"] for row in rows}
