"""Support cases: surveyed → approved (decision number and amount) → in progress → handed over →
settled, with paused and rejected (reason). Disbursements are append-only; whoever approved a
case cannot disburse it (unless the unit has a single officer). ID numbers are encrypted with
Fernet (the `cryptography` package), under a key derived from SECRET_KEY, and never public."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.uploads import IMAGE_TYPES, accept, files_removed_on_failure
from thidua.mobilization.models import CasePhoto, Disbursement, Drive, Fund, SupportCase
from thidua.mobilization.services.ledger import single_officer
from thidua.mobilization.services.money import parse_money
from thidua.org.models import Unit

Status = SupportCase.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.SURVEYED: {Status.APPROVED, Status.PAUSED, Status.REJECTED},
    Status.APPROVED: {Status.IN_PROGRESS, Status.PAUSED, Status.REJECTED},
    Status.IN_PROGRESS: {Status.HANDED_OVER, Status.PAUSED},
    Status.HANDED_OVER: {Status.SETTLED},
    Status.PAUSED: set(),  # resumes to where it paused
    Status.SETTLED: set(),
    Status.REJECTED: set(),
}


def _fernet() -> Fernet:
    key = getattr(settings, "ID_NUMBER_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(f"thidua-id-numbers:{key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_id_number(number: str) -> str:
    number = number.strip()
    return _fernet().encrypt(number.encode()).decode() if number else ""


def id_number_of(actor: Any, case: SupportCase) -> str:
    """The ID number in clear, for staff allowed to see the case's people."""
    require(actor, "mobilization.view_donors", case.unit)
    if not case.id_number_encrypted:
        return ""
    try:
        return _fernet().decrypt(case.id_number_encrypted.encode()).decode()
    except InvalidToken:
        return ""


def survey_case(
    actor: Any,
    *,
    fund: Fund,
    unit: Unit,
    kind: str,
    household_class: str,
    head_name: str,
    id_number: str = "",
    address: str = "",
    requested_amount: Any = 0,
    surveyed_on: dt.date | None = None,
    survey_note: str = "",
    drive: Drive | None = None,
) -> SupportCase:
    require(actor, "mobilization.record", unit)
    if not unit.path.startswith(fund.unit.path):
        raise ValidationError({"unit": [_("This household lives outside the fund's area.")]})
    if drive is not None and drive.fund_id != fund.pk:
        raise ValidationError({"drive": [_("This drive belongs to another fund.")]})
    if id_number.strip() and not id_number.strip().isdigit():
        raise ValidationError({"id_number": [_("An ID number has digits only.")]})
    day = surveyed_on or timezone.localdate()
    case = SupportCase(
        fund=fund,
        drive=drive,
        unit=unit,
        kind=kind,
        household_class=household_class,
        head_name=head_name.strip(),
        id_number_encrypted=encrypt_id_number(id_number),
        address=address.strip(),
        requested_amount=parse_money(requested_amount, label=_("Requested amount")),
        surveyed_on=day,
        survey_note=survey_note,
        year=day.year,
    )
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit.record(actor, "mobilization.survey_case", case)
    return case


def _move(actor: Any, case: SupportCase, to: str, verb: str, **data: Any) -> SupportCase:
    if to not in TRANSITIONS[case.status] and not (
        case.status == Status.PAUSED and to == case.paused_from
    ):
        raise ValidationError(
            _("A case that is %(state)s cannot become %(target)s.")
            % {"state": case.get_status_display(), "target": Status(to).label}
        )
    case.status = to
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit.record(actor, verb, case, data={"status": to, **data})
    return case


def approve_case(
    actor: Any,
    *,
    case: SupportCase,
    amount: Any,
    decision_number: str,
    decision_date: dt.date | None = None,
) -> SupportCase:
    """An amount and the board's decision number are required from approval on."""
    require(actor, "mobilization.manage", case.unit)
    errors: dict[str, list[str]] = {}
    try:
        approved = parse_money(amount, label=_("Approved amount"), allow_zero=False)
    except ValidationError as error:
        errors["amount"] = error.messages
    if not decision_number.strip():
        errors["decision_number"] = [_("Give the number of the board's decision.")]
    if errors:
        raise ValidationError(errors)
    case.approved_amount = approved
    case.decision_number = decision_number.strip()
    case.decision_date = decision_date or timezone.localdate()
    case.approved_by = actor
    return _move(actor, case, Status.APPROVED, "mobilization.approve_case", amount=approved)


def change_case_status(actor: Any, *, case: SupportCase, to: str, reason: str = "") -> SupportCase:
    """Start, hand over, pause, resume or reject (a pause or a rejection needs a reason)."""
    require(actor, "mobilization.record", case.unit)
    if to in (Status.APPROVED, Status.SETTLED):
        raise ValidationError(_("Use the approval or settlement form."))
    if to in (Status.PAUSED, Status.REJECTED):
        if not reason.strip():
            raise ValidationError({"reason": [_("Give the reason.")]})
        if to == Status.REJECTED:
            require(actor, "mobilization.manage", case.unit)
        case.reason = reason.strip()
        if to == Status.PAUSED:
            case.paused_from = case.status
    return _move(actor, case, to, "mobilization.case_status", reason=reason)


def disbursed_total(case: SupportCase) -> int:
    return case.disbursements.aggregate(total=Sum("amount"))["total"] or 0


def disburse(
    actor: Any,
    *,
    case: SupportCase,
    amount: Any,
    paid_on: dt.date | None = None,
    method: str = "",
    witness: str = "",
) -> Disbursement:
    """Money to an approved case: never by whoever approved it (unless one officer), never past
    the approved amount."""
    require(actor, "mobilization.disburse", case.unit)
    if case.status not in (Status.APPROVED, Status.IN_PROGRESS, Status.HANDED_OVER):
        raise ValidationError(_("Only an approved case receives money."))
    if case.approved_by_id == actor.pk and not single_officer(case.fund.unit):
        raise PermissionDenied(_("You approved this case: another officer must disburse it."))
    money = parse_money(amount, allow_zero=False)
    if disbursed_total(case) + money > (case.approved_amount or 0):
        raise ValidationError({"amount": [_("This would pay more than the approved amount.")]})
    disbursement = Disbursement(
        case=case,
        amount=money,
        paid_on=paid_on or timezone.localdate(),
        method=method,
        witness=witness,
        recorded_by=actor,
    )
    disbursement.full_clean()
    with transaction.atomic():
        disbursement.save()
        audit.record(actor, "mobilization.disburse", case, data={"amount": money})
    return disbursement


def settle_case(actor: Any, *, case: SupportCase, difference_note: str = "") -> SupportCase:
    """Settled only when the disbursements equal the approved amount, or the difference is
    written down."""
    require(actor, "mobilization.manage", case.unit)
    paid = disbursed_total(case)
    if paid != case.approved_amount and not difference_note.strip():
        raise ValidationError(
            {
                "difference_note": [
                    _(
                        "Paid %(paid)s đ of the %(approved)s đ approved: record the difference "
                        "before settling."
                    )
                    % {
                        "paid": f"{paid:,}".replace(",", "."),
                        "approved": f"{case.approved_amount or 0:,}".replace(",", "."),
                    }
                ]
            }
        )
    case.settlement_difference = difference_note.strip()
    return _move(actor, case, Status.SETTLED, "mobilization.settle_case", paid=paid)


# --- photos before and after ----------------------------------------------------------------


def add_case_photo(
    actor: Any, *, case: SupportCase, file: Any, stage: str, caption: str = ""
) -> CasePhoto:
    """A photo of the house before or after the work: an image checked by its content, stored
    privately; it reaches the public page only once a leader marks it public."""
    require(actor, "mobilization.record", case.unit)
    if stage not in CasePhoto.Stage.values:
        raise ValidationError({"stage": [_("Choose before or after.")]})
    upload = accept(file, types=IMAGE_TYPES, field="file")
    photo = CasePhoto(
        case=case,
        stage=stage,
        name=upload.name,
        caption=caption.strip()[:200],
        uploaded_by=actor,
    )
    with files_removed_on_failure(), transaction.atomic():
        photo.file.save(upload.file.name, upload.file, save=False)
        photo.full_clean()
        photo.save()
        audit.record(actor, "mobilization.add_case_photo", photo, unit=case.unit)
    return photo


def set_photo_public(actor: Any, *, photo: CasePhoto, public: bool) -> CasePhoto:
    """Only a leader of the case's unit shows a photo to the public (or hides it again); a
    rejected case's photos stay private."""
    require(actor, "mobilization.manage", photo.case.unit)
    if public and photo.case.status == Status.REJECTED:
        raise ValidationError(_("A rejected case is not shown in public."))
    photo.public = public
    with transaction.atomic():
        photo.save(update_fields=["public"])
        audit.record(
            actor,
            "mobilization.photo_public",
            photo,
            unit=photo.case.unit,
            data={"public": public},
        )
    return photo


# --- the official posting window of full names ----------------------------------------------

POSTING_MAX_DAYS = 30


def post_names(actor: Any, *, fund: Fund, unit: Unit, until: dt.date | None) -> int:
    """Open (or close, with no date) the official posting of the beneficiaries' full names of a
    residential area: the public support page shows full names until that day, initials before
    and after. The window starts today and lasts at most POSTING_MAX_DAYS days."""
    require(actor, "mobilization.manage", unit)
    today = timezone.localdate()
    if not unit.path.startswith(fund.unit.path):
        raise ValidationError({"unit": [_("This area lies outside the fund's area.")]})
    if until is not None and not (today <= until <= today + dt.timedelta(days=POSTING_MAX_DAYS)):
        raise ValidationError(
            {
                "until": [
                    _("The posting ends between today and %(days)s days from today.")
                    % {"days": POSTING_MAX_DAYS}
                ]
            }
        )
    with transaction.atomic():
        count = (
            SupportCase.objects.filter(fund=fund, unit__path__startswith=unit.path)
            .exclude(status=Status.REJECTED)
            .update(posting_until=until)
        )
        audit.record(
            actor,
            "mobilization.post_names",
            fund,
            unit=unit,
            data={"until": until.isoformat() if until else None, "cases": count},
        )
    return count
