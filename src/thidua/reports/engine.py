"""Computing a form from records: each cell counts the records that match the form's filter,
its row's and its column's; each non-zero cell keeps the ids of its records (the drill-down).
The arithmetic checks the form encodes are evaluated on the reported values (computed plus
adjustments). Pure functions over plain data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from thidua.reports.filters import matches


def cell_key(row_code: str, column_code: str) -> str:
    return f"{row_code}|{column_code}"


@dataclass
class Computed:
    cells: dict[str, int] = field(default_factory=dict)  # "row|col" -> count (non-zero only)
    ids: dict[str, list[int]] = field(default_factory=dict)  # "row|col" -> record ids

    def value(self, row_code: str, column_code: str) -> int:
        return self.cells.get(cell_key(row_code, column_code), 0)


def data_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in rows if r.get("code") and not r.get("heading")]


def compute(
    *,
    records: Iterable[Mapping[str, Any]],
    base_filter: Mapping[str, Any],
    rows: Iterable[Mapping[str, Any]],
    columns: Iterable[Mapping[str, Any]],
) -> Computed:
    rows = data_rows(rows)
    columns = list(columns)
    result = Computed()
    for record in records:
        if not matches(record, base_filter):
            continue
        in_columns = [c["code"] for c in columns if matches(record, c["filter"])]
        if not in_columns:
            continue
        for row in rows:
            if not matches(record, row["filter"]):
                continue
            for column_code in in_columns:
                key = cell_key(row["code"], column_code)
                result.ids.setdefault(key, []).append(record["id"])
    result.cells = {key: len(ids) for key, ids in result.ids.items()}
    return result


@dataclass(frozen=True)
class CheckResult:
    kind: str
    description: str
    passed: bool
    where: str  # the failing rows/columns, in words


def _sum_word(parts: list[str]) -> str:
    return " + ".join(parts)


def run_checks(
    *,
    value: Any,  # (row_code, column_code) -> int
    row_codes: list[str],
    column_codes: list[str],
    row_checks: Iterable[Mapping[str, Any]],
    column_checks: Iterable[Mapping[str, Any]],
) -> list[CheckResult]:
    """Each row check holds in every column, each column check in every row."""
    results = []
    for check in row_checks:
        failing = [
            c
            for c in column_codes
            if not _holds(check, value(check["total"], c), [value(p, c) for p in check["parts"]])
        ]
        results.append(
            CheckResult(
                kind=check["kind"],
                description=_describe(check, _("row")),
                passed=not failing,
                where=", ".join(_("column %(code)s") % {"code": c} for c in failing),
            )
        )
    for check in column_checks:
        failing = [
            r
            for r in row_codes
            if not _holds(check, value(r, check["total"]), [value(r, p) for p in check["parts"]])
        ]
        results.append(
            CheckResult(
                kind=check["kind"],
                description=_describe(check, _("column")),
                passed=not failing,
                where=", ".join(_("row %(code)s") % {"code": r} for r in failing),
            )
        )
    return results


def _holds(check: Mapping[str, Any], total: int, parts: list[int]) -> bool:
    if check["kind"] == "sum":
        return total == sum(parts)
    if check["kind"] == "at_most":
        return sum(parts) <= total
    if check["kind"] == "of_which":
        return all(part <= total for part in parts)
    raise ValueError(f"unknown check {check['kind']!r}")


def _describe(check: Mapping[str, Any], what: str) -> str:
    values = {"what": what, "total": check["total"], "parts": _sum_word(check["parts"])}
    if check["kind"] == "sum":
        return _("%(what)s %(total)s = %(parts)s") % values
    if check["kind"] == "at_most":
        return _("%(parts)s ≤ %(what)s %(total)s") % values
    return _("each of %(parts)s ≤ %(what)s %(total)s") % values
