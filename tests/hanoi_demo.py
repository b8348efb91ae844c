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
  worker together (`pytest_xdist_make_scheduler` below), so one worker builds it, once; and each
  worker runs its tests in the collected order, so the demo's tests are first there too. (xdist's
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


def work_units(collection: list[str]) -> dict[str, str]:
    """Each node id's unit of work: the runs of consecutive tests of one module in the collected
    order (every `test_demo.py` module in one). A module with database tests and transactional
    ones is collected in two runs (pytest-django moves the transactional tests after every other
    database test), so it becomes two units, each in its place in the order."""
    units: dict[str, str] = {}
    runs: dict[str, int] = {}
    previous = None
    for nodeid in collection:
        module = nodeid.split("::", 1)[0]
        module = GROUP if module.endswith(DEMO_MODULES) else module
        if module != previous:
            runs[module] = runs.get(module, -1) + 1
            previous = module
        units[nodeid] = module if not runs[module] else f"{module}#{runs[module]}"
    return units


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, keeping the collected order, so that each worker runs its tests in the
    order one process would (the demo's tests first, transactional tests after every other
    database test: a transactional test flushes the worker's database, data migrations' rows
    included, and a later database test would miss them); every `test_demo.py` module in one unit
    of work, so the demo is built by one worker while the other runs the rest.

    Each worker has its own test database (`test_<name>_gw0`, `_gw1`), so a flush or a restore on
    one never reaches the other. The units are handed out from the front of the collected order
    and a worker runs them in the order it receives them; xdist's default of handing out the
    largest units first (`--loadscope-reorder`) would break that order, so it is turned off."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class InCollectedOrder(LoadFileScheduling):
        units: dict[str, str] = {}

        def schedule(self) -> None:
            if self.collection is None and self.registered_collections:
                self.units = work_units(list(next(iter(self.registered_collections.values()))))
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            return self.units.get(nodeid) or super()._split_scope(nodeid)

    config.option.loadscopereorder = False
    return InCollectedOrder(config, log)
