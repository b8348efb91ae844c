"""The scale-out tests run only from tests/scaleout/run.sh, which starts the services and points
the settings at them; they use its database as it is (no test database is made)."""

import os

import pytest

RUNNING = bool(os.environ.get("SCALEOUT_WEB_A"))


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="run by tests/scaleout/run.sh (needs its services)")
    for item in items:
        if "scaleout" in item.keywords and not RUNNING:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup():
    """The database run.sh migrated: no test database."""


@pytest.fixture
def db_access(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Overrides the suite's cache clearing: the sessions live in this cache."""
    yield
