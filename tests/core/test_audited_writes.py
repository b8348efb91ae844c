"""Every audited write lives in a services module: `audit.record(` is called only from
`<app>/services.py` or a module of an `<app>/services/` package, so the writes of an app can be
found, read and permission-checked in one place. The few exceptions are named with a reason."""

from __future__ import annotations

import ast
from pathlib import Path

import thidua

SOURCE = Path(thidua.__file__).parent

ALLOWED = {
    # The audit chain itself: `record` is defined here.
    "core/audit.py": "defines audit.record",
    # The demo seeders write their story directly (they move to thidua.demo, then the next
    # allowance below replaces these two).
    "initiatives/demo.py": "demo seeder, moving to thidua.demo",
    "honors/demo.py": "demo seeder, moving to thidua.demo",
}
ALLOWED_PREFIXES = {
    "demo/": "the demo app seeds data the way an administrator would, outside any request",
}


def _record_calls(tree: ast.AST) -> list[int]:
    """Lines calling `audit.record(…)`, or `record(…)` when imported from core.audit."""
    bare = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "thidua.core.audit"
        and any(alias.name == "record" for alias in node.names)
        for node in ast.walk(tree)
    )
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "record"
            and isinstance(func.value, ast.Name)
            and func.value.id == "audit"
        ) or (bare and isinstance(func, ast.Name) and func.id == "record"):
            lines.append(node.lineno)
    return lines


def _is_service(relative: str) -> bool:
    parts = relative.split("/")
    return parts[-1] == "services.py" or "services" in parts[:-1]


def call_sites() -> list[tuple[str, int]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [(relative, line) for line in _record_calls(tree)]
    return found


def test_audit_record_is_called_only_from_services():
    outside = [
        f"{relative}:{number}"
        for relative, number in call_sites()
        if not _is_service(relative)
        and relative not in ALLOWED
        and not any(relative.startswith(prefix) for prefix in ALLOWED_PREFIXES)
    ]
    assert not outside, (
        "audit.record( outside a services module — move the write under <app>/services/: "
        + ", ".join(outside)
    )


def test_the_scan_finds_the_call_sites():
    """The scan is not vacuous: it sees the services' own calls."""
    assert any(_is_service(relative) for relative, _ in call_sites())
