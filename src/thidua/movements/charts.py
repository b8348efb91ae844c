"""Charts as inline SVG drawn on the server by pygal: no script, no CDN, printable; every chart
sits beside a table with the same numbers (the accessible version).

Drawing a chart of a hundred bars takes pygal tens of milliseconds, and dashboards are read far
more often than their figures change, so each SVG is cached under a digest of everything drawn
in it (kind, language, title, labels, series): a changed figure or name is a new key, so a
cached chart is never stale and nothing has to be invalidated."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pygal
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d1b1a",
    foreground_strong="#1d1b1a",
    foreground_subtle="#8d8680",
    colors=("#b3261e", "#0b4f8a", "#5f5a56", "#d99a00"),
    font_family="system-ui, sans-serif",
)


CACHE_SECONDS = 24 * 3600
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


def _render(chart: pygal.Graph) -> str:
    # pygal links its tooltip script from a CDN by default: js=[] keeps the page self-contained;
    # its inline configuration script (used by nothing else) would break the Content-Security-
    # Policy, so it goes too.
    return INLINE_SCRIPT.sub("", chart.render(is_unicode=True))


def _cached(kind: str, drawn: Any, draw: Callable[[], pygal.Graph]) -> SafeString:
    """The SVG of `draw()`, from the cache when the same chart (`drawn`: everything it shows) was
    drawn before in this language."""
    digest = hashlib.sha256(repr((kind, get_language(), drawn)).encode()).hexdigest()
    key = f"movements:chart:v2:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = _render(draw())
        cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - pygal escapes labels; the SVG is our own output


def _config(title: str) -> dict:
    return {
        "title": title,
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "width": 640,
        "height": 320,
        "x_label_rotation": 30,
        "truncate_label": 24,
    }


def bar_chart(result) -> SafeString | None:
    rows = [(unit.name, float(value)) for unit, value in result.by_child if value is not None]
    if not rows:
        return None
    title, name = str(result.indicator), result.indicator.name

    def draw() -> pygal.Graph:
        chart = pygal.HorizontalBar(**_config(title))
        chart.x_labels = [label for label, _value in rows]
        chart.add(name, [value for _label, value in rows])
        return chart

    return _cached("bar", (title, name, rows), draw)


def coverage_chart(coverage) -> SafeString | None:
    if not coverage.rows:
        return None
    labels = [row.unit.name for row in coverage.rows]
    series = [(_("Registered"), [row.registered_percent for row in coverage.rows])]
    if coverage.period is not None:
        series.append((_("Reported"), [row.reported_percent for row in coverage.rows]))

    def draw() -> pygal.Graph:
        config = _config(_("Coverage by unit (%)"))
        config["show_legend"] = True
        config["range"] = (0, 100)
        chart = pygal.Bar(**config)
        chart.x_labels = labels
        for title, values in series:
            chart.add(title, values)
        return chart

    return _cached("coverage", (labels, series), draw)
