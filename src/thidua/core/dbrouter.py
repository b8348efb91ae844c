"""Reads of read-only pages from a streaming replica, with read-your-writes and a fallback.

`ReplicaMiddleware` decides, once per request, where its reads go:
- the replica for a GET or HEAD whose path is one of `REPLICA_PATHS` (public pages, dashboards,
  exports), when the replica answers and lags at most `REPLICA_MAX_LAG_SECONDS`;
- the primary otherwise: unsafe methods, other pages, a visitor who wrote in the last
  `READ_YOUR_WRITES_SECONDS` (a cookie set on every unsafe request), background tasks and
  management commands (no request: nothing is routed).
`ReplicaRouter` follows that decision; writes always go to the primary ("default").

The replica's state is checked at most every `REPLICA_CHECK_SECONDS` per process, with one cheap
query (`pg_last_xact_replay_timestamp()`); a replica that is down is skipped until the next check.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
WROTE_COOKIE = "thidua_wrote"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Models read on every request whose freshness matters more than the load: always the primary.
PRIMARY_ONLY_APPS = {"sessions", "axes", "django_tasks_db", "otp_totp", "otp_static"}

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)

_state_lock = threading.Lock()
_state = {"checked": float("-inf"), "usable": False, "lag": None}

# the lag: none when every received change is replayed, else the age of the last replayed one
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_lag() -> float | None:
    """Seconds the replica is behind, or None when it does not answer."""
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except Exception:  # down, restarting, refused: the primary serves meanwhile
        _mark_down()
        return None


def replica_state(*, force: bool = False) -> dict:
    """{"usable": bool, "lag": seconds or None}, checked at most every REPLICA_CHECK_SECONDS."""
    if REPLICA not in settings.DATABASES:
        return {"usable": False, "lag": None}
    now = time.monotonic()
    with _state_lock:
        fresh = now - _state["checked"] < settings.REPLICA_CHECK_SECONDS
        if fresh and not force:
            return {"usable": _state["usable"], "lag": _state["lag"]}
        _state["checked"] = now  # one check at a time; the others use the last answer
    lag = replica_lag()
    usable = lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
    if not usable:
        logger.warning("replica not used: %s", "down" if lag is None else f"lag {lag:.1f}s")
    with _state_lock:
        _state.update(usable=usable, lag=lag, checked=time.monotonic())
    return {"usable": usable, "lag": lag}


def _paths():
    return [re.compile(pattern) for pattern in settings.REPLICA_PATHS]


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = _paths()

    def wants_replica(self, request) -> bool:
        if request.method not in SAFE_METHODS or WROTE_COOKIE in request.COOKIES:
            return False
        if not any(pattern.match(request.path_info) for pattern in self.paths):
            return False
        return replica_state()["usable"]

    def __call__(self, request):
        token = _use_replica.set(self.wants_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if request.method not in SAFE_METHODS:
            # this visitor reads the primary until the replica has surely caught up
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        """The replica went away during this page: mark it down and answer from the primary."""
        if not _use_replica.get() or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        _mark_down()
        _use_replica.set(False)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)


def _mark_down() -> None:
    with _state_lock:
        _state.update(usable=False, lag=None, checked=time.monotonic())
    with contextlib.suppress(Exception):  # the connection is already gone
        connections[REPLICA].close()


def reading_from_replica() -> bool:
    return _use_replica.get()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
