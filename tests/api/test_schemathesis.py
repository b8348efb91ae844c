"""schemathesis against /api/v1, in process: no server error and every answer as the document
describes it (status code declared, content type, body schema), as an administrator of the city
and as a ward officer.

Bounded so that CI stays fast: a fixed number of examples per operation and generation mode,
derandomised (the same cases on every run), no shrinking. Half the cases address the objects
that exist (a movement, a call, a unit in reach), the other half whatever ids were generated.
"""

from __future__ import annotations

import json
import os
import time

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
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

from tests.factories import UserFactory
from thidua.api.router import api

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def app():
    """Django's WSGI handler, without closing the test's connection after each request (as
    Django's own test client does): the test's transaction stays open and is rolled back."""
    from django.core.signals import request_finished, request_started

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def existing(tree, movement, call):
    """Real ids, by path parameter name."""
    return {
        "unit_id": tree["bo_de"].pk,
        "movement_id": movement.pk,
        "call_id": call.pk,
        "call_ref": call.slug,
        "slug": call.slug,
    }


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


def test_as_a_city_administrator(app, admin_user, existing):
    failures = run(app, admin_user, existing, ADMINISTRATOR)
    assert failures == [], "\n\n".join(failures)


def test_as_a_ward_officer(app, tree, existing):
    officer = UserFactory(username="bode-api-officer", roles=[("officer", tree["bo_de"])])
    failures = run(app, officer, existing, OFFICER)
    assert failures == [], "\n\n".join(failures)
