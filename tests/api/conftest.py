"""The fixtures of the schemathesis runs (`tests/api/fuzzing.py`)."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections


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
