"""The seeded Hà Nội demo (`seed_demo`), built once per test run and shared by every test that asks
for the `hanoi_demo` fixture (the `test_demo.py` modules and the demo crawl).

Building it takes minutes; four modules used to build it (or most of it) each. Now:

- the demo is seeded into the test database inside a transaction, the first time a test asks for
  it, and rolled back after the last test that asks for it;
- the tests that ask for it are moved next to each other, first, before the transactional tests
  (which flush the database, data migrations included), so no other test ever sees the demo and
  the demo never sees a flushed database;
- each of those tests runs in its own savepoint (pytest-django's `db`), so a test that changes the
  demo (a second seed run, a page that writes) leaves it as it was for the next;
- its uploads live in one directory for the whole run (the crawl opens the files pages link to),
  instead of the per-test directories of `file_storages`;
- under pytest-xdist with `--dist loadfile` (`bin/test`), the `test_demo.py` modules go to one
  worker together (`pytest_xdist_make_scheduler` below), so one worker builds it, once. (xdist's
  own `--dist loadgroup` does not group anything under pytest 9: it renames `item._nodeid`,
  which pytest 9 no longer reads.)
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FIXTURE = "hanoi_demo"
GROUP = "hanoi-demo"
DEMO_MODULES = "/test_demo.py"  # the modules whose tests read the demo (nodeids end so)


def uses_demo(item: pytest.Item) -> bool:
    return FIXTURE in getattr(item, "fixturenames", ())


class _Demo:
    """The demo's transaction: opened before the first test using it, closed after the last."""

    def __init__(self) -> None:
        self.atomic = None
        self.storages = None
        self.blocker = None
        self.media = None
        self.output = ""
        self.failed = False

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self) -> None:
        with self.blocker.unblock():
            self.storages = override_settings(
                MEDIA_ROOT=self.media / "public", PRIVATE_MEDIA_ROOT=self.media / "private"
            )
            self.storages.enable()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            out = io.StringIO()
            try:
                call_command("seed_demo", stdout=out)
            except BaseException:
                # leave the database and the settings as they were for the other tests
                self.failed = True
                self.close()
                raise
            self.output = out.getvalue()

    def close(self) -> None:
        if not self.is_open:
            return
        atomic, storages = self.atomic, self.storages
        self.atomic = self.storages = None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            storages.disable()


DEMO = _Demo()


@pytest.fixture(scope="session")
def hanoi_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole Hà Nội demo (changes a test makes are rolled back after it); `.output` is what
    `seed_demo` printed."""
    DEMO.blocker = django_db_blocker
    DEMO.media = tmp_path_factory.mktemp("hanoi-demo-media")
    if not DEMO.is_open:
        DEMO.open()
    yield DEMO
    DEMO.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Opened once by the fixture; should a test that needs it come after it was closed (an
    # ordering plugin, a rerun), build it again rather than run on an empty database.
    if DEMO.blocker is not None and not DEMO.is_open and not DEMO.failed and uses_demo(item):
        DEMO.open()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if DEMO.is_open and (nextitem is None or not uses_demo(nextitem)):
        DEMO.close()
    return result


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The demo's tests together and first, before any transactional test has flushed the data
    migrations' rows (pytest-django's stable sort of database, transactional and other tests
    keeps them first, whichever of the two hooks runs first)."""
    demo = [item for item in items if uses_demo(item)]
    if demo:
        items[:] = demo + [item for item in items if not uses_demo(item)]


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, with every `test_demo.py` module in one unit of work: the demo is built
    by one worker, while the other runs the rest."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class DemoTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return GROUP if scope.endswith(DEMO_MODULES) else scope

    return DemoTogether(config, log)
