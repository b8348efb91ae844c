"""schemathesis against /api/v1, in process (the fuzzing shared by `test_schemathesis.py` and
`test_schemathesis_officer.py`, one module per user so that two workers run them at once).

Bounded so that CI stays fast: a fixed number of examples per operation and generation mode,
derandomised (the same cases on every run), no shrinking. Half the cases address the objects
that exist (a movement, a call, a unit in reach), the other half whatever ids were generated.
"""

from __future__ import annotations

import json
import os
import time

import hypothesis
import schemathesis
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from thidua.api.router import api

# Examples per operation and generation mode: invalid input is refused before any permission
# matters, so the officer's run generates valid input only.
ADMINISTRATOR = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3}
OFFICER = {GenerationMode.POSITIVE: 4}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def credentials(user) -> dict[str, dict[str, str]]:
    """A session cookie and a CSRF token, as a browser on the site would send them."""
    client = Client()
    client.force_login(user)
    secret = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": secret},
        "headers": {"X-CSRFToken": secret},
    }


def fuzz(operation, mode, examples: int, auth: dict, existing: dict):
    drawn = []
    statuses = fuzz.statuses = []

    @hypothesis.settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        drawn.append(case)
        if len(drawn) % 2:
            for name in case.path_parameters or {}:
                if name in existing:
                    case.path_parameters[name] = existing[name]
        response = case.call_and_validate(**auth, checks=CHECKS)
        statuses.append(response.status_code)

    return check


def negatable(document: dict, operation) -> bool:
    """False when nothing can be made invalid: no body, and only free-form strings as parameters
    (a call's slug, an applicant's token); hypothesis would search for an invalid case in vain."""
    definition = document["paths"][operation.path][operation.method.lower()]
    if "requestBody" in definition:
        return True
    return any(
        set(p["schema"]) - {"title"} != {"type"} or p["schema"]["type"] != "string"
        for p in definition.get("parameters", [])
    )


def run(app, user, existing, examples_by_mode) -> list[str]:
    document = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    auth = credentials(user)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in examples_by_mode.items():
            if mode == GenerationMode.NEGATIVE and not negatable(document, operation):
                continue
            started = time.monotonic()
            try:
                fuzz(operation, mode, examples, auth, existing)()
            except Exception as error:  # one entry per operation: every operation is checked
                failures.append(f"{operation.label} [{mode.value}]: {error}"[:3000])
            if os.environ.get("ST_TIMES"):
                print(
                    f"{time.monotonic() - started:6.2f} {operation.label} {mode.value}",
                    sorted(fuzz.statuses),
                )
    return failures
