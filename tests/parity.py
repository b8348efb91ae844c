"""Helpers of the web/API parity tests (`tests/test_parity.py` and each app's `test_parity.py`):
the page and the endpoint of the same object answer the same status class for every person.

Statuses compare by class: 200 ↔ 200; a web 403/404 ↔ an API 403/404; the web's redirect to the
sign-in page ↔ the API's 401."""

from __future__ import annotations

from django.test import Client

API = "/api/v1"


def status_class(response, *, api: bool) -> str:
    code = response.status_code
    if code == 200:
        return "ok"
    if code in (403, 404):
        return "refused"
    if api and code == 401:
        return "sign in"
    if not api and code == 302 and "/accounts/login" in response["Location"]:
        return "sign in"
    return f"unexpected {code}"


def answers(people, web: str, api: str, *, roles=None) -> dict[str, tuple[str, str]]:
    """Role → (the page's status class, the endpoint's). `people`: role → user (or anonymous)."""
    seen = {}
    for role in roles or list(people):
        client = Client()
        user = people[role]
        if user.is_authenticated:
            client.force_login(user)
        seen[role] = (
            status_class(client.get(web), api=False),
            status_class(client.get(api), api=True),
        )
    return seen


def assert_parity(seen: dict[str, tuple[str, str]], *, allowed: set[str]) -> None:
    drifted = {role: pair for role, pair in seen.items() if pair[0] != pair[1]}
    assert not drifted, f"web and API disagree: {drifted}"
    assert {role for role, pair in seen.items() if pair[0] == "ok"} == allowed, seen
