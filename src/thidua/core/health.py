"""Liveness, readiness and Prometheus metrics for operators and load balancers.

- `/healthz`: the process answers (no dependency checked): restart it when this fails.
- `/readyz`: the database, the replica (reported, not required: the primary serves without it),
  the cache, the task queue and the media storage each answer; 503 when a required one does
  not, so the load balancer sends no traffic here. JSON with "ok" or "error" per check, never
  an address, a password or an error text.
- `/metrics`: Prometheus text format, for METRICS_ALLOWED_IPS or a bearer METRICS_TOKEN.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "thidua_http_requests_total", "HTTP requests answered", ["method", "view", "status"]
)
LATENCY = Histogram(
    "thidua_http_request_duration_seconds",
    "Time to answer a request",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
# read at scrape time (live values, "liveall" so each worker's current figure is summed right)
QUEUE = Gauge("thidua_tasks_queued", "Background tasks waiting", multiprocess_mode="max")
REPLICA_LAG = Gauge("thidua_replica_lag_seconds", "Replica lag (-1: down)", multiprocess_mode="max")

SKIP = ("/metrics", "/healthz", "/readyz")


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in SKIP:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # the route's name, never the raw path: a bounded number of series
        view = (match.view_name if match else "") or "unmatched"
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, view, f"{response.status_code // 100}xx").inc()
        return response


def _check(name: str, probe) -> str:
    try:
        probe()
        return "ok"
    except Exception:
        logger.exception("readiness check %s failed", name)
        return "error"


def _database(alias: str):
    def probe():
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")

    return probe


def _cache():
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    cache.delete(key)


def _queue():
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_rq.RQBackend":
        import django_rq

        django_rq.get_connection("default").ping()
    elif backend == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


def _storage():
    storage = storages["default"]
    location = getattr(storage, "location", None)
    if isinstance(storage, FileSystemStorage):
        folder = Path(location)
        while not folder.exists():  # created at the first upload
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            raise RuntimeError("media folder not writable")
    else:
        storage.exists("readyz-probe")  # object storage: answers, and the credentials hold


def readiness() -> tuple[bool, dict]:
    checks = {
        "database": _check("database", _database("default")),
        "cache": _check("cache", _cache),
        "queue": _check("queue", _queue),
        "storage": _check("storage", _storage),
    }
    ready = all(value == "ok" for value in checks.values())
    if "replica" in settings.DATABASES:
        from thidua.core.dbrouter import replica_state

        state = replica_state(force=True)
        # the primary answers while the replica is away: reported, not a reason to stop traffic
        checks["replica"] = "ok" if state["usable"] else ("lagging" if state["lag"] else "error")
    return ready, checks


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    ready, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    return request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS


def _live_gauges() -> None:
    try:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == "django_tasks_rq.RQBackend":
            import django_rq

            QUEUE.set(django_rq.get_queue("default").count)
        elif backend == "django_tasks_db.DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            QUEUE.set(DBTaskResult.objects.ready().count())
    except Exception:
        logger.exception("metrics: queue length unavailable")
    if "replica" in settings.DATABASES:
        from thidua.core.dbrouter import replica_state

        lag = replica_state()["lag"]
        REPLICA_LAG.set(-1 if lag is None else lag)


@never_cache
def metrics(request):
    if not _allowed(request):
        return HttpResponse(status=404)
    _live_gauges()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
