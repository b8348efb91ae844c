"""Rebuilding a movement's roll-up rows from its accepted reports."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from thidua.core import audit
from thidua.core.policy import require
from thidua.movements.models import Movement
from thidua.movements.totals import _TOTALS, _rebuild, compare_totals


def rebuild_totals(actor: Any, *, movement: Movement) -> int:
    """Recompute the movement's roll-up rows from its accepted reports (for its managers, or a
    system actor); returns the number of rows that were out of step before."""
    require(actor, "movements.manage", movement.owner_unit)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Acceptances wait until the rebuild commits (their upserts take ROW EXCLUSIVE), so
            # none is counted twice or lost between the delete and the insert. SQLite has one
            # writer at a time anyway.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {_TOTALS} IN SHARE ROW EXCLUSIVE MODE")
        differing = compare_totals(movement)
        _rebuild(movement)
        audit.record(actor, "movements.rebuild_totals", movement, {"differing": differing})
    return differing
