"""Charts that stay readable at 126 or 2,054 units: the ten highest and ten lowest units as
sorted horizontal bars, and the distribution of completion (how many units in each tenth).

A chart is a short list of `Bar`s drawn as HTML by `includes/bars.html` (a label, a bar, the
value in words): the names stay horizontal and legible on a 390 px phone, no script, no inline
style (the bar's length is an SVG attribute), and screen readers read the list. Every chart
sits beside the full paginated table with the same figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

TOP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: Any  # what is shown (a figure, a share), formatted by the template
    length: float  # 0-100, the bar's length
    kind: str = "count"  # how the template formats `value`: count, number, percent
    url: str = ""


def _lengths(values: list[float]) -> list[float]:
    top = max((abs(v) for v in values), default=0)
    return [round(100 * abs(v) / top, 1) if top else 0.0 for v in values]


def bars(rows: Iterable[tuple[str, Any]], *, kind: str = "number") -> list[Bar]:
    """Bars for (label, value) rows in the given order, lengths relative to the largest."""
    rows = [(label, value) for label, value in rows if value is not None]
    lengths = _lengths([float(value) for _label, value in rows])
    return [
        Bar(label=label, value=value, length=length, kind=kind)
        for (label, value), length in zip(rows, lengths, strict=True)
    ]


@dataclass
class Ranked:
    """The highest and lowest units of a figure; `lowest` is empty when `highest` shows all."""

    highest: list[Bar]
    lowest: list[Bar]
    total: int


def ranked(rows: Iterable[tuple[str, Decimal | float | None]], *, kind: str = "number") -> Ranked:
    """Top and bottom `TOP` units by value (units without a value left out), as bars on one
    scale (so a bottom bar is short beside a top bar)."""
    rows = sorted(
        ((label, value) for label, value in rows if value is not None),
        key=lambda row: (-float(row[1]), row[0]),
    )
    lengths = _lengths([float(value) for _label, value in rows])
    drawn = [
        Bar(label=label, value=value, length=length, kind=kind)
        for (label, value), length in zip(rows, lengths, strict=True)
    ]
    if len(drawn) <= 2 * TOP:
        return Ranked(highest=drawn, lowest=[], total=len(drawn))
    return Ranked(highest=drawn[:TOP], lowest=drawn[-TOP:][::-1], total=len(drawn))


def distribution(shares: Iterable[float]) -> list[Bar]:
    """How many units fall in each tenth of completion (0-10 %, …, 90-100 %): ten bars
    whatever the number of units."""
    counts = [0] * 10
    for share in shares:
        counts[min(9, max(0, int(share * 10)))] += 1
    lengths = _lengths([float(n) for n in counts])
    return [
        Bar(
            label=_("%(low)s–%(high)s %%") % {"low": 10 * i, "high": 10 * (i + 1)},
            value=n,
            length=length,
            kind="count",
        )
        for i, (n, length) in enumerate(zip(counts, lengths, strict=True))
    ]
