"""Two people saving at once on the embedded SQLite database: both reports are kept.

The test database is in memory and shared between threads through SQLite's shared cache, which
locks differently from a file; so the test copies the prepared database to a file and lets each
thread open its own connection to it with the settings the demo runs with (WAL, busy timeout,
IMMEDIATE transactions).
"""

import contextlib
import sqlite3
import threading

import pytest
from django.db import connection, connections

from tests.factories.movements import indicator_ids
from thidua.movements import services
from thidua.movements.models import Report

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the embedded SQLite database only"
)


@pytest.fixture
def file_database(tmp_path):
    """Copy the test database to a file; connections opened from now on (in new threads) use it."""
    path = tmp_path / "demo.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        settings_dict["NAME"] = original


@pytest.mark.django_db(transaction=True)
def test_two_reports_submitted_at_the_same_moment_are_both_kept(
    movement, tree, officer, file_database, monkeypatch
):
    sum_id, ratio_id = indicator_ids(movement)
    period = movement.periods.get(label="2026-Q1")
    # Both officers have read the database before either writes: without a lock taken at the
    # start of the transaction, the second writer fails with "database is locked". The barrier
    # gives up after a moment when the other thread is (rightly) waiting for the lock.
    both_read = threading.Barrier(2, timeout=3)
    original_save = Report.save

    def save_after_both_read(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Report, "save", save_after_both_read)
    errors: list[BaseException] = []

    def submit(unit):
        try:
            services.save_report(
                officer,
                movement=movement,
                unit=unit,
                period=period,
                values={sum_id: "40", ratio_id: "40"},
                bases={ratio_id: "50"},
                submit=True,
            )
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=(tree[name],)) for name in ("bo_de", "phuc_loi")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with sqlite3.connect(file_database) as check:
        statuses = check.execute(
            "SELECT status FROM movements_report WHERE movement_id = ?", (movement.pk,)
        ).fetchall()
    assert sorted(statuses) == [("submitted",), ("submitted",)]
