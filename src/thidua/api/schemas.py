"""Schemas shared by the apps' APIs, and the one error body every operation may answer.

Each component of the OpenAPI document is named after its class, so two classes with one name
would be merged silently: a schema used by several apps lives here, once
(`tests/api/test_openapi.py` fails on a duplicate name).
"""

from ninja import Schema
from pydantic import Field


class UnitRef(Schema):
    id: int
    code: str
    name: str


class FieldOut(Schema):
    code: str
    name: str


class ReasonIn(Schema):
    reason: str = ""


class FieldErrorOut(Schema):
    """One invalid request parameter or body field, as ninja reports it."""

    type: str
    loc: list[str | int] = Field(description="Where: `query`, `path` or `body`, then the name.")
    msg: str


class ErrorOut(Schema):
    """Every error answer: `detail` is a message (401, 403, 404, 409), the messages by field name
    (422 from the domain's validation, `__all__` for the whole object) or the invalid parameters
    (422 from the request's own validation)."""

    detail: str | dict[str, list[str]] | list[FieldErrorOut]
