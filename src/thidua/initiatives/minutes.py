"""Minutes of a council meeting as a PDF (WeasyPrint), rendered in the reader's language.

A 500-initiative meeting makes a 40-page PDF that takes WeasyPrint a minute or more, so the PDF
is generated once in the background (`tasks.build_minutes`), stored privately and served from
storage until something it shows changes: `digest` hashes the meeting, the council's members,
the votes, the submissions on the table and the decision, in a handful of queries. A changed
digest makes the next request queue a new build; until it is ready the page shows the progress.
Building is idempotent: a task finding the file already built for its digest does nothing."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from thidua.core.pdf import render_pdf
from thidua.initiatives import selectors
from thidua.initiatives.models import (
    Call,
    Meeting,
    MinutesFile,
    Submission,
    Vote,
)
from thidua.initiatives.services.deliberation import quorum, required_yes, tally
from thidua.shared.models import CouncilMember

Status = MinutesFile.Status


def minutes_context(call: Call, meeting: Meeting) -> dict:
    present_present = list(meeting.present.select_related("user"))
    present_ids = {m.pk for m in present_present}
    members = list(call.council.members.filter(is_active=True).select_related("user"))
    present, total, has_quorum = quorum(meeting)
    rows = selectors.ranked_table(call, meeting=meeting)
    return {
        "call": call,
        "meeting": meeting,
        "present_members": present_present,
        "absent_members": [m for m in members if m.pk not in present_ids],
        "present": present,
        "total": total,
        "quorum": has_quorum,
        "needed": required_yes(call, total),
        "rows": [(row, tally(meeting, row.submission)) for row in rows],
        "decision": getattr(call, "decision", None),
    }


def minutes_pdf(call: Call, meeting: Meeting) -> bytes:

    html = render_to_string("initiatives/minutes.html", minutes_context(call, meeting))
    return render_pdf(html)


def digest(call: Call, meeting: Meeting, language: str) -> str:
    """A fingerprint of everything the minutes show: equal digests, equal PDFs."""
    parts: list[Any] = [
        language,
        (call.pk, call.title, call.owner_unit_id, call.council_id, call.secret_ballot),
        (meeting.pk, meeting.held_on, meeting.notes),
        sorted(meeting.present.values_list("pk", flat=True)),
        list(
            CouncilMember.objects.filter(council_id=call.council_id)
            .order_by("pk")
            .values_list("pk", "role", "is_active", "user__full_name", "user__username")
        ),
        list(
            Vote.objects.filter(meeting=meeting)
            .order_by("pk")
            .values_list("pk", "submission_id", "member_id", "choice", "written")
        ),
        list(
            Submission.objects.filter(call=call)
            .order_by("pk")
            .values_list("pk", "number", "title", "status", "review_mean", "review_count")
        ),
    ]
    decision = getattr(call, "decision", None)
    if decision is not None:
        parts.append((decision.pk, decision.number, decision.decided_on, decision.signer_id))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def request_minutes(call: Call, meeting: Meeting, *, language: str) -> MinutesFile:
    """The stored minutes for what the meeting shows now, queuing a build when there is none
    (or the stored one shows something else). Called by the view of a reader already allowed
    to read them: it writes only the derived file, never the meeting."""
    from thidua.initiatives.tasks import build_minutes

    current = digest(call, meeting, language)
    with transaction.atomic():
        minutes, _created = MinutesFile.objects.select_for_update().get_or_create(
            meeting=meeting, language=language, defaults={"digest": current}
        )
        if not _created and minutes.digest == current and minutes.status != Status.FAILED:
            return minutes  # ready, or being built for exactly this
        minutes.digest = current
        minutes.status = Status.PENDING
        minutes.error = ""
        minutes.finished_at = None
        minutes.save(update_fields=["digest", "status", "error", "finished_at"])
        transaction.on_commit(lambda: build_minutes.enqueue(minutes.pk, current))
    return minutes


def build(minutes_id: int, wanted: str) -> str:
    """Render and store the PDF of `minutes_id` if it still wants digest `wanted`; idempotent."""
    minutes = (
        MinutesFile.objects.select_related("meeting__call__council", "meeting__call__owner_unit")
        .filter(pk=minutes_id)
        .first()
    )
    if minutes is None or minutes.digest != wanted:
        return "stale"  # a newer request queued its own build
    if minutes.status == Status.DONE and minutes.pdf:
        return Status.DONE
    this = MinutesFile.objects.filter(pk=minutes.pk, digest=wanted)
    this.update(status=Status.RUNNING)
    meeting = minutes.meeting
    with translation.override(minutes.language):
        content = minutes_pdf(meeting.call, meeting)
    old_name = minutes.pdf.name if minutes.pdf else ""
    storage = minutes.pdf.storage
    name = storage.save(
        f"initiatives/minutes/{meeting.call.slug}-{meeting.pk}-{minutes.language}-{wanted[:12]}.pdf",
        ContentFile(content),
    )
    updated = this.update(status=Status.DONE, pdf=name, finished_at=timezone.now())
    if not updated:  # the inputs changed while rendering: this file shows the old ones
        storage.delete(name)
        return "stale"
    if old_name and old_name != name:
        storage.delete(old_name)
    return Status.DONE


def fail(minutes_id: int, wanted: str, message: str) -> None:
    MinutesFile.objects.filter(pk=minutes_id, digest=wanted).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )
