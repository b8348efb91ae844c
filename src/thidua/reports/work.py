"""The statistics' work items: reports waiting to be checked, signed or submitted, for whoever
may take that step on the report's unit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.reports.models import StatReport
from thidua.reports.selectors import waiting

TO_CHECK = "reports.to_check"
TO_SIGN = "reports.to_sign"
TO_SUBMIT = "reports.to_submit"

STEPS = [
    (
        TO_CHECK,
        StatReport.State.DRAFT,
        "reports.check",
        gettext_lazy("Statistical reports to check"),
    ),
    (
        TO_SIGN,
        StatReport.State.CHECKED,
        "reports.sign",
        gettext_lazy("Statistical reports to sign"),
    ),
    (
        TO_SUBMIT,
        StatReport.State.SIGNED,
        "reports.prepare",
        gettext_lazy("Statistical reports to submit"),
    ),
]


def _source(user: Any, kind: str, state: str, action: str, label: str) -> QuerySetSource:
    def to_item(report: StatReport) -> WorkItem:
        return WorkItem(
            kind=kind,
            kind_label=str(label),
            title=_("%(form)s · year %(year)s")
            % {"form": report.form.official_code or report.form.name, "year": report.year},
            unit=report.unit,
            due=report.due_on,
            url=reverse("reports:detail", args=[report.pk]),
            action={
                TO_CHECK: _("Check the figures"),
                TO_SIGN: _("Sign the report"),
                TO_SUBMIT: _("Submit the report"),
            }[kind],
            order=report.pk,
        )

    return QuerySetSource(
        kind=kind,
        label=str(label),
        queryset=waiting(user, state, action),
        unit_path="unit__path",
        due="due_on",
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [_source(user, kind, state, action, label) for kind, state, action, label in STEPS]
