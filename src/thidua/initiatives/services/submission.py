"""Writes for submissions: the public form, email confirmation, withdrawal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit, limits
from thidua.core.actors import person_or_none
from thidua.core.policy import can
from thidua.core.tasks import send_email_to_address
from thidua.core.text import clean_name
from thidua.core.uploads import accept, files_removed_on_failure
from thidua.initiatives.duplicates import schedule_indexing
from thidua.initiatives.models import (
    Attachment,
    Call,
    Submission,
    SubmissionEvent,
)
from thidua.initiatives.services._common import S
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search

MAX_ATTACHMENTS = 5


def _notify_applicant(submission: Submission, template: str, **extra: Any) -> None:
    if not submission.applicant_email:
        return

    context = {
        "site_url": settings.SITE_URL,
        "title": submission.title,
        "number": submission.number,
        "call": submission.call.title,
        "status": submission.status,
        "token": submission.token,
        **extra,
    }
    transaction.on_commit(
        lambda: send_email_to_address.enqueue(
            address=submission.applicant_email,
            language=submission.applicant_language,
            template=f"initiatives/email/{template}",
            context=context,
        )
    )


def _event(submission: Submission, actor: Any, note: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, status=submission.status, actor=person_or_none(actor), note=note
    )


def _check_call_accepts(call: Call, *, on: dt.date | None = None) -> None:
    day = on or timezone.localdate()
    if call.status != Call.Status.OPEN or not (call.opens_on <= day <= call.closes_on):
        raise ValidationError(_("This call is not open for submissions."))


def submit_initiative(
    actor: Any,
    *,
    call: Call,
    data: dict[str, Any],
    files: list[Any] | None = None,
    client_token: str | None = None,
    language: str = "vi",
) -> Submission:
    """A submission from the public form (email confirmation pending) or, when `actor` is an
    officer of the unit of origin, entered on behalf of an offline citizen (submitted at once)."""
    _check_call_accepts(call)
    if client_token:
        # Scoped to the call, so a token can never reveal another call's submission.
        client_token = f"{call.pk}:{client_token}"[:64]
        existing = Submission.objects.filter(client_token=client_token, call=call).first()
        if existing is not None:
            return existing  # a double click: the first request already saved it
    unit = data.get("unit")
    if (
        not isinstance(unit, Unit)
        or not unit.path.startswith(call.owner_unit.path)
        or not unit.is_valid_on(timezone.localdate())
    ):
        raise ValidationError({"unit": _("Choose a unit inside this call's scope.")})
    call_fields = set(call.fields.values_list("pk", flat=True))
    if data.get("field") is not None and call_fields and data["field"].pk not in call_fields:
        raise ValidationError({"field": _("This call does not take initiatives in this field.")})
    kind = data.get("applicant_kind")
    if kind == Submission.ApplicantKind.PERSON and not call.individuals_may_apply:
        raise ValidationError({"applicant_kind": _("This call does not admit individuals.")})
    if kind == Submission.ApplicantKind.COLLECTIVE and not call.collectives_may_apply:
        raise ValidationError({"applicant_kind": _("This call does not admit collectives.")})
    on_behalf = getattr(actor, "is_authenticated", False) and can(actor, "unit.enter_data", unit)
    if not on_behalf and not data.get("applicant_email"):
        raise ValidationError({"applicant_email": _("Give an email address to confirm.")})
    files = files or []
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)s files.") % {"n": MAX_ATTACHMENTS}})
    uploads = [accept(f, field="attachments") for f in files]
    fields = {
        k: data.get(k, "")
        for k in (
            "title",
            "summary",
            "description",
            "expected_benefit",
            "applicant_name",
            "applicant_email",
            "applicant_phone",
            "co_authors",
        )
    }
    for name in ("title", "applicant_name"):
        fields[name] = clean_name(fields[name])
    submission = Submission(
        call=call,
        number=0,
        field=data.get("field"),
        unit=unit,
        applicant_kind=kind,
        publish_names=bool(data.get("publish_names", True)),
        applicant_language=language,
        client_token=client_token,
        entered_by=actor if on_behalf else None,
        **fields,
    )
    submission.search_text = normalise_search(" ".join([submission.title, submission.summary]))
    # client_token is left to the database: a concurrent double click meets IntegrityError
    # below and gets the saved submission back.
    submission.full_clean(
        exclude=["number", "client_token", "field"]
        if data.get("field")
        else ["number", "client_token"]
    )
    if data.get("field") is None:
        raise ValidationError({"field": _("This field is required.")})
    if not on_behalf:
        # A few confirmation emails a day per address: the form cannot mail-bomb anyone.
        limits.check_value("confirmation_email", submission.applicant_email)
    try:
        with files_removed_on_failure(), transaction.atomic():
            Call.objects.select_for_update().get(pk=call.pk)
            submission.number = (
                Submission.objects.filter(call=call).aggregate(n=Max("number"))["n"] or 0
            ) + 1
            if on_behalf:
                submission.status = S.SUBMITTED
                submission.submitted_at = timezone.now()
                submission.email_confirmed_at = None
            submission.save()
            for upload in uploads:
                Attachment.objects.create(
                    submission=submission,
                    file=upload.file,
                    name=upload.name,
                    content_type=upload.mime,
                    size=upload.size,
                )
            _event(submission, actor, _("Entered by an officer") if on_behalf else "")
            audit.record(
                actor if on_behalf else f"applicant:{submission.applicant_email}",
                "initiatives.submit",
                submission,
                {"number": submission.number},
                unit=unit,
            )
            _notify_applicant(submission, "received" if on_behalf else "confirm")
            schedule_indexing(submission)
    except IntegrityError:
        existing = Submission.objects.filter(client_token=client_token, call=call).first()
        if existing is not None:
            return existing
        raise
    return submission


def confirm_email(*, token: str) -> Submission:
    """The applicant clicked the link in the confirmation email: the submission counts."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(token=token).first()
        if submission is None:
            raise ValidationError(_("This link is not valid."))
        if submission.status != S.DRAFT:
            return submission
        submission.status = S.SUBMITTED
        submission.email_confirmed_at = timezone.now()
        submission.submitted_at = timezone.now()
        submission.save(update_fields=["status", "email_confirmed_at", "submitted_at"])
        _event(submission, None, _("Email confirmed"))
        audit.record(
            f"applicant:{submission.applicant_email}",
            "initiatives.confirm",
            submission,
            {},
            unit=submission.unit,
        )
        _notify_applicant(submission, "received")
        schedule_indexing(submission)
    return submission


def withdraw(*, token: str) -> Submission:
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(token=token).first()
        if submission is None:
            raise ValidationError(_("This link is not valid."))
        if submission.status in (S.RECOGNISED, S.NOT_RECOGNISED, S.WITHDRAWN, S.SCREENED_OUT):
            raise ValidationError(_("This submission can no longer be withdrawn."))
        submission.status = S.WITHDRAWN
        submission.save(update_fields=["status"])
        _event(submission, None)
        audit.record(
            f"applicant:{submission.applicant_email}",
            "initiatives.withdraw",
            submission,
            {},
            unit=submission.unit,
        )
        _notify_applicant(submission, "status")
    return submission
