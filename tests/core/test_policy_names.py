"""Each domain app asks permission questions in its own name: `<app>.<verb>` actions of its own, or
the few generic ones every app shares (`core.policy.SHARED_ACTIONS`), never another domain's."""

import re
from pathlib import Path

import pytest

from thidua.core.policy import RULES, SHARED_ACTIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "thidua"
DOMAIN_APPS = ["movements", "initiatives", "practices", "honors"]
ASKED = re.compile(
    r"\b(?:can|require|scope_paths|scope_filter)\(\s*[\w.]+,\s*\"([a-z_]+\.[a-z_]+)\""
)


def _asked(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in (SRC / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for action in ASKED.findall(path.read_text(encoding="utf-8")):
            found.add((path.relative_to(SRC).as_posix(), action))
    return found


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_a_domain_asks_only_its_own_actions_or_shared_ones(app):
    asked = _asked(app)
    assert asked  # the scan sees the app's permission questions
    borrowed = {
        (where, action)
        for where, action in asked
        if action not in SHARED_ACTIONS and not action.startswith(f"{app}.")
    }
    assert borrowed == set()
    assert {action for _, action in asked} <= set(RULES)


def test_the_scan_catches_a_borrowed_name():
    sample = 'require(actor, "initiatives.manage", unit)\ncan(request.user, "honors.manage")'
    assert ASKED.findall(sample) == ["initiatives.manage", "honors.manage"]
