"""Charts as inline SVG drawn on the server by pygal: no script, no CDN, printable; every chart
sits beside a table with the same numbers (the accessible version)."""

from __future__ import annotations

import pygal
from django.utils.safestring import SafeString, mark_safe
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


def _render(chart: pygal.Graph) -> SafeString:
    # pygal links its tooltip script from a CDN by default: js=[] keeps the page self-contained.
    svg = chart.render(is_unicode=True)
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
    rows = [(unit.name, value) for unit, value in result.by_child if value is not None]
    if not rows:
        return None
    chart = pygal.HorizontalBar(**_config(str(result.indicator)))
    chart.x_labels = [name for name, _value in rows]
    chart.add(result.indicator.name, [float(value) for _name, value in rows])
    return _render(chart)


def coverage_chart(coverage) -> SafeString | None:
    if not coverage.rows:
        return None
    config = _config(_("Coverage by unit (%)"))
    config["show_legend"] = True
    config["range"] = (0, 100)
    chart = pygal.Bar(**config)
    chart.x_labels = [row.unit.name for row in coverage.rows]
    chart.add(_("Registered"), [row.registered_percent for row in coverage.rows])
    if coverage.period is not None:
        chart.add(_("Reported"), [row.reported_percent for row in coverage.rows])
    return _render(chart)
