"""The OpenAPI document of /api/v1: valid, one schema per name, every error declared and answered
in its declared shape, and every list's pagination bounded (422, never a 500)."""

from __future__ import annotations

import collections
import json
import re

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel

from thidua.api.pagination import MAX_PAGE, MAX_PAGE_SIZE
from thidua.api.router import api
from thidua.api.schemas import ErrorOut

pytestmark = pytest.mark.django_db

HUGE = "519468698756072800256"  # the page number that answered 500 ("bigint out of range")


@pytest.fixture(scope="module")
def document():
    """The document as served (JSON: the status codes become strings)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def paginated(document) -> list[str]:
    """Every GET path with a `page` parameter, its path parameters filled with 1."""
    return [
        re.sub(r"\{[^}]+\}", "1", path)
        for path, method, operation in operations(document)
        if method == "get" and any(p["name"] == "page" for p in operation.get("parameters", []))
    ]


def test_the_document_is_valid_openapi(document):
    validate(document)


def test_no_two_schema_classes_share_a_name(document):
    """ninja names a component after its class and silently merges two classes of one name
    (the movements coverage was once described by practices' schema)."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    modules = collections.defaultdict(set)
    for cls in subclasses(BaseModel):
        if cls.__module__.startswith("thidua."):
            modules[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    duplicates = {name: found for name, found in modules.items() if len(found) > 1}
    assert duplicates == {}
    assert set(document["components"]["schemas"]) >= {"MovementCoverageOut", "ErrorOut"}


def test_the_movement_coverage_is_described_by_its_own_schema(document):
    operation = document["paths"]["/api/v1/movements/{movement_id}/coverage"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/MovementCoverageOut"}
    properties = document["components"]["schemas"]["MovementCoverageOut"]["properties"]
    assert {"period", "missing", "no_congress"} <= set(properties)


def test_every_operation_declares_its_errors(document):
    missing = []
    for path, method, operation in operations(document):
        expected = {"403", "404", "409", "422"} | ({"401"} if operation.get("security") else set())
        for status in expected - set(operation["responses"]):
            missing.append((method, path, status))
        for status in expected:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert missing == []
    assert len(list(operations(document))) > 60


def test_the_lists_named_in_the_report_are_paginated(document):
    paths = paginated(document)
    for path in (
        "/api/v1/initiatives/calls",
        "/api/v1/initiatives/recognised",
        "/api/v1/units/",
        "/api/v1/movements/",
        "/api/v1/honors/rounds",
    ):
        assert path in paths
    assert len(paths) >= 14  # every @paginate of the apps


@pytest.mark.parametrize(
    "params",
    [
        {"page": HUGE},
        {"page": MAX_PAGE + 1},
        {"page": 0},
        {"page": "abc"},
        {"page_size": 0},
        {"page_size": MAX_PAGE_SIZE + 1},
        {"page_size": HUGE},
    ],
)
def test_a_page_out_of_bounds_answers_422_on_every_list(client, admin_user, document, params):
    client.force_login(admin_user)
    for path in paginated(document):
        response = client.get(path, params)
        assert response.status_code == 422, (path, params, response.content)
        body = ErrorOut.model_validate(response.json())
        name = next(iter(params))
        assert [error.loc for error in body.detail] == [["query", name]], (path, body)
        assert body.detail[0].msg


def test_a_huge_page_answers_422_to_anonymous_visitors_too(client):
    for path in ("/api/v1/initiatives/calls", "/api/v1/initiatives/recognised"):
        response = client.get(path, {"page": HUGE})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_the_largest_page_answers_an_empty_page(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/units/", {"page": MAX_PAGE, "page_size": MAX_PAGE_SIZE})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_error_answers_have_the_declared_shape(client, tree, officer):
    # 401: no session
    assert client.get("/api/v1/units/").status_code == 401
    ErrorOut.model_validate(client.get("/api/v1/units/").json())
    client.force_login(officer)
    # 404: a unit outside the officer's district
    response = client.get(f"/api/v1/units/{tree['quang_an'].pk}")
    assert response.status_code == 404
    ErrorOut.model_validate(response.json())
    # 422 from the request's validation (a date that is not one)
    response = client.get("/api/v1/units/", {"as_of": "not-a-date"})
    assert response.status_code == 422
    ErrorOut.model_validate(response.json())
    # 403: CSRF refused on a write with a session and no token
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(officer)
    response = csrf_client.post("/api/v1/movements/", {}, content_type="application/json")
    assert response.status_code == 403
    ErrorOut.model_validate(response.json())


def test_web_lists_survive_huge_page_and_year_numbers(client):
    """The pages with `?page=` clamp it (Django's get_page); the recognised list's year too."""
    for path in ("/p/calls/", "/p/movements/", "/p/initiatives/"):
        response = client.get(path, {"page": HUGE, "year": HUGE[:5]})
        assert response.status_code == 200, path
