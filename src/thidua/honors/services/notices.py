"""Writes for public notices of proposed honours: publishing a round's notice, and the
public's comments on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.pdf import render_pdf
from thidua.core.services import posting
from thidua.honors.models import Nomination, NoticeComment, PublicNotice, Round
from thidua.honors.notices import (
    _CONTROL,
    CONTACT_MAX,
    NAME_MAX,
    TEXT_MAX,
    TEXT_MIN,
    awaiting_notice,
    notice_days,
    posting_columns,
    posting_entries,
    posting_title,
)
from thidua.honors.rules import is_secretariat


def publish_notice(actor: Any, *, round: Round, today: dt.date | None = None) -> PublicNotice:
    """Publish every approved nominee of the round whose rule asks for a public notice."""
    if not is_secretariat(actor, round):
        raise PermissionDenied(_("Only the council's secretariat can do this."))
    today = today or timezone.localdate()
    nominations = awaiting_notice(round)
    if not nominations:
        raise ValidationError(_("No approved nomination in this round awaits a public notice."))
    days = max(notice_days(n) for n in nominations)
    with transaction.atomic():
        notice = PublicNotice.objects.create(
            round=round,
            starts_on=today,
            ends_on=today + dt.timedelta(days=days - 1),
            published_by=actor if getattr(actor, "pk", None) else None,
        )
        Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(notice=notice)
        listed = list(
            notice.nominations.select_related("award_type", "unit", "unit__parent").order_by(
                "award_type", "id"
            )
        )
        entries = posting_entries(listed)
        title = posting_title(round)
        notice.posting = posting.publish(
            actor,
            key=notice.posting_key,
            unit=round.owner_unit,
            title=title,
            starts_on=notice.starts_on,
            days=days,
            columns=posting_columns(),
            entries=entries,
            pdf=render_pdf(
                render_to_string(
                    "honors/notice_pdf.html",
                    {
                        "title": title,
                        "unit": round.owner_unit,
                        "entries": entries,
                        "starts_on": notice.starts_on,
                        "ends_on": notice.ends_on,
                    },
                )
            ),
        )
        notice.save(update_fields=["posting"])
        audit.record(
            actor,
            "honors.publish_notice",
            notice,
            {
                "round": round.pk,
                "nominations": [n.pk for n in nominations],
                "starts_on": notice.starts_on,
                "ends_on": notice.ends_on,
                "posting": notice.posting.pk,
            },
            unit=round.owner_unit,
        )
    return notice


def _clean(value: str, limit: int) -> str:
    return _CONTROL.sub("", (value or "").strip())[: limit + 1]


def comment_on_notice(
    *,
    notice: PublicNotice,
    nomination_id: Any,
    name: str,
    contact: str,
    text: str,
    client: str,
    author: Any = None,
    now: dt.datetime | None = None,
) -> NoticeComment:
    """A member of the public comments on one proposed recipient while the notice runs
    (`author`: the signed-in account, if any, which then lists the comment on its own page)."""
    now = now or timezone.now()
    if not notice.is_open_on(timezone.localdate(now)):
        raise ValidationError(_("This public notice is not open for comments."))
    nomination = None
    if str(nomination_id or "").isdigit():
        nomination = notice.nominations.filter(pk=int(nomination_id)).first()
    errors: dict[str, str] = {}
    if nomination is None:
        errors["nomination"] = _("Choose one of the proposed recipients listed.")
    name, contact, text = (
        _clean(name, NAME_MAX),
        _clean(contact, CONTACT_MAX),
        _clean(text, TEXT_MAX),
    )
    if not name:
        errors["name"] = _("Give your name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("A name has at most %(n)s characters.") % {"n": NAME_MAX}
    if not contact:
        errors["contact"] = _("Give a phone number or an email address to reach you.")
    elif len(contact) > CONTACT_MAX:
        errors["contact"] = _("A contact has at most %(n)s characters.") % {"n": CONTACT_MAX}
    if len(text) < TEXT_MIN:
        errors["text"] = _("Write at least %(n)s characters.") % {"n": TEXT_MIN}
    elif len(text) > TEXT_MAX:
        errors["text"] = _("A comment has at most %(n)s characters.") % {"n": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comment = NoticeComment.objects.create(
            notice=notice,
            nomination=nomination,
            name=name,
            contact=contact,
            text=text,
            client_key=client,
            author=author if getattr(author, "is_authenticated", False) else None,
        )
        audit.record(
            "public",
            "honors.comment_on_notice",
            comment,
            {"notice": notice.pk, "nomination": nomination.pk},
            unit=notice.round.owner_unit,
        )
    return comment
