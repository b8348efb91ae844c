"""Writes for the statutory statistics.

Rules:
- a report is computed for a unit and its subtree, for a year's period of a regime that has
  forms; one open (draft, checked or signed) report per form, unit and year;
- only a draft is recomputed or adjusted; an adjustment names its cell, its change and a
  reason, and keeps its author;
- draft → checked needs every arithmetic check of the form to pass on the reported values
  (computed + adjustments), after recomputing from the registries;
- checked → signed (a leader), signed → submitted (the XLSX and PDF are frozen, privately, with
  their SHA-256); a submitted report of the same form, unit and year is then superseded;
- checked or signed reports may be returned to draft with a reason.
Bad input raises a translated ValidationError and writes nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.org.models import Unit
from thidua.reports import exports, selectors
from thidua.reports.engine import data_rows
from thidua.reports.models import Adjustment, StatForm, StatRegime, StatReport

State = StatReport.State

TRANSITIONS = {
    "check": ({State.DRAFT}, State.CHECKED, "reports.check"),
    "sign": ({State.CHECKED}, State.SIGNED, "reports.sign"),
    "submit": ({State.SIGNED}, State.SUBMITTED, "reports.prepare"),
    "reopen": ({State.CHECKED, State.SIGNED}, State.DRAFT, "reports.prepare"),
}


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _full_name(actor: Any) -> str:
    user = _user(actor)
    if user is None:
        return ""
    return (user.get_full_name() or "").strip()


def _transition(report: StatReport, action: str, actor: Any) -> None:
    sources, _target, permission = TRANSITIONS[action]
    require(actor, permission, report.unit)
    if report.state not in sources:
        raise ValidationError(
            _("This report is %(state)s: it cannot be changed this way.")
            % {"state": report.get_state_display().lower()}
        )


def _fill(report: StatReport) -> None:
    computed = selectors.compute_stat_form(report.form, report.unit, report.year)
    report.computed = computed.cells
    report.cell_ids = computed.ids
    report.computed_at = timezone.now()


def create_reports(
    actor: Any,
    *,
    unit: Unit,
    year: int,
    regime: StatRegime,
    receiving_unit: str = "",
    forms: list[StatForm] | None = None,
) -> list[StatReport]:
    """Compute every form of the regime (or the chosen ones) for the unit and year, as drafts."""
    require(actor, "reports.prepare", unit)
    if regime.is_placeholder:
        raise ValidationError(_("The forms of this circular are not known yet."))
    if regime not in selectors.regimes_offered(year):
        raise ValidationError(_("This circular does not cover the year's period."))
    chosen = list(forms) if forms is not None else list(regime.forms.all())
    if not chosen or any(form.regime_id != regime.pk for form in chosen):
        raise ValidationError(_("Choose forms of this circular."))
    open_states = [State.DRAFT, State.CHECKED, State.SIGNED]
    taken = StatReport.objects.filter(
        form__in=chosen, unit=unit, year=year, state__in=open_states
    ).select_related("form")
    if taken:
        raise ValidationError(
            _("A report of %(forms)s for this unit and year is already being prepared.")
            % {"forms": ", ".join(r.form.official_code or r.form.name for r in taken)}
        )
    start, end = regime.period(year)
    reports = []
    with transaction.atomic():
        for form in chosen:
            report = StatReport(
                form=form,
                unit=unit,
                year=year,
                period_start=start,
                period_end=end,
                due_on=regime.due_on(year),
                receiving_unit=(receiving_unit or "").strip()[:200],
                prepared_by=_user(actor),
                preparer_name=_full_name(actor),
            )
            _fill(report)
            report.save()
            audit.record(
                actor, "reports.create", report, {"form": form.code, "year": year}, unit=unit
            )
            reports.append(report)
    return reports


def recompute_report(actor: Any, *, report: StatReport) -> StatReport:
    """Recompute a draft from the registries as they are now."""
    require(actor, "reports.prepare", report.unit)
    if report.state != State.DRAFT:
        raise ValidationError(_("Only a draft is recomputed."))
    with transaction.atomic():
        _fill(report)
        report.save(update_fields=["computed", "cell_ids", "computed_at"])
        audit.record(actor, "reports.recompute", report, {"cells": len(report.computed)})
    return report


def add_adjustment(
    actor: Any, *, report: StatReport, row_code: str, column_code: str, delta: int, reason: str
) -> Adjustment:
    """Change one cell by `delta`, with a reason: an explicit adjustment row, never an edit."""
    require(actor, "reports.prepare", report.unit)
    if report.state != State.DRAFT:
        raise ValidationError(_("Only a draft is adjusted."))
    rows = {r["code"] for r in data_rows(report.form.rows)}
    columns = {c["code"] for c in report.form.columns}
    if row_code not in rows or column_code not in columns:
        raise ValidationError(_("Choose a row and a column of the form."))
    if not delta:
        raise ValidationError({"delta": _("An adjustment changes the cell.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    key = f"{row_code}|{column_code}"
    current = report.computed.get(key, 0) + selectors.adjustment_totals(report).get(key, 0)
    if current + delta < 0:
        raise ValidationError({"delta": _("A cell cannot fall below zero.")})
    with transaction.atomic():
        adjustment = Adjustment.objects.create(
            report=report,
            row_code=row_code,
            column_code=column_code,
            delta=delta,
            reason=reason,
            author=actor,
        )
        audit.record(
            actor,
            "reports.adjust",
            report,
            {"row": row_code, "column": column_code, "delta": delta, "reason": reason},
        )
    return adjustment


def check_report(actor: Any, *, report: StatReport) -> StatReport:
    """Draft → checked: recompute, then every arithmetic check must pass."""
    _transition(report, "check", actor)
    with transaction.atomic():
        _fill(report)
        report.save(update_fields=["computed", "cell_ids", "computed_at"])
        failing = [c for c in selectors.sheet(report).checks if not c.passed]
        if failing:
            raise ValidationError(
                _("The report fails its checks: %(checks)s")
                % {"checks": "; ".join(f"{c.description} ({c.where})" for c in failing)}
            )
        report.state = State.CHECKED
        report.checked_by = _user(actor)
        report.checked_at = timezone.now()
        report.save(update_fields=["state", "checked_by", "checked_at"])
        audit.record(actor, "reports.check", report, {})
    return report


def sign_report(actor: Any, *, report: StatReport) -> StatReport:
    """Checked → signed by a leader of the unit."""
    _transition(report, "sign", actor)
    with transaction.atomic():
        report.state = State.SIGNED
        report.signed_by = _user(actor)
        report.signer_name = _full_name(actor)
        report.signed_at = timezone.now()
        report.save(update_fields=["state", "signed_by", "signer_name", "signed_at"])
        audit.record(actor, "reports.sign", report, {})
    return report


def submit_report(actor: Any, *, report: StatReport) -> StatReport:
    """Signed → submitted: the numbers are frozen as an XLSX and a PDF with their hashes; an
    earlier submitted report of the same form, unit and year is superseded."""
    _transition(report, "submit", actor)
    xlsx = exports.xlsx_bytes(report)
    pdf = exports.pdf_bytes(report)
    with transaction.atomic():
        report.state = State.SUBMITTED
        report.submitted_at = timezone.now()
        report.xlsx.save("report.xlsx", ContentFile(xlsx), save=False)
        report.xlsx_hash = hashlib.sha256(xlsx).hexdigest()
        report.pdf.save("report.pdf", ContentFile(pdf), save=False)
        report.pdf_hash = hashlib.sha256(pdf).hexdigest()
        report.save(update_fields=["state", "submitted_at", "xlsx", "xlsx_hash", "pdf", "pdf_hash"])
        earlier = StatReport.objects.filter(
            form=report.form, unit=report.unit, year=report.year, state=State.SUBMITTED
        ).exclude(pk=report.pk)
        for old in earlier:
            old.state = State.SUPERSEDED
            old.superseded_by = report
            old.save(update_fields=["state", "superseded_by"])
            audit.record(actor, "reports.supersede", old, {"by": report.pk})
        audit.record(
            actor, "reports.submit", report, {"xlsx": report.xlsx_hash, "pdf": report.pdf_hash}
        )
    return report


def reopen_report(actor: Any, *, report: StatReport, reason: str) -> StatReport:
    """Checked or signed → draft, with a reason (the signature is dropped)."""
    _transition(report, "reopen", actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning it to draft.")})
    with transaction.atomic():
        report.state = State.DRAFT
        report.checked_by = report.signed_by = None
        report.checked_at = report.signed_at = None
        report.signer_name = ""
        report.save(
            update_fields=[
                "state",
                "checked_by",
                "checked_at",
                "signed_by",
                "signed_at",
                "signer_name",
            ]
        )
        audit.record(actor, "reports.reopen", report, {"reason": reason})
    return report
