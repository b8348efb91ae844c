"""Minutes of a council meeting as a PDF (WeasyPrint), rendered in the reader's language."""

from __future__ import annotations

from django.template.loader import render_to_string

from thidua.initiatives import selectors, services
from thidua.initiatives.models import Call, Meeting


def minutes_context(call: Call, meeting: Meeting) -> dict:
    present_present = list(meeting.present.select_related("user"))
    present_ids = {m.pk for m in present_present}
    members = list(call.council.members.filter(is_active=True).select_related("user"))
    present, total, has_quorum = services.quorum(meeting)
    rows = selectors.ranked_table(call, meeting=meeting)
    return {
        "call": call,
        "meeting": meeting,
        "present_members": present_present,
        "absent_members": [m for m in members if m.pk not in present_ids],
        "present": present,
        "total": total,
        "quorum": has_quorum,
        "needed": services.required_yes(call, total),
        "rows": [(row, services.tally(meeting, row.submission)) for row in rows],
        "decision": getattr(call, "decision", None),
    }


def minutes_pdf(call: Call, meeting: Meeting) -> bytes:
    import weasyprint

    html = render_to_string("initiatives/minutes.html", minutes_context(call, meeting))
    return weasyprint.HTML(string=html).write_pdf()
