"""What operators and load balancers depend on: liveness, readiness, metrics, JSON logs and the
choice of database for a request's reads (the replica itself is proven by tests/scaleout)."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from thidua.core import dbrouter, health
from thidua.core.logjson import JsonFormatter

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_checking_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_lists_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok", "storage": "ok"},
    }


def test_readiness_is_503_when_a_dependency_is_down_and_names_no_secret(client, monkeypatch):
    def broken():
        raise ConnectionError("redis://:s3cret@10.0.0.5:6379 refused")

    monkeypatch.setattr(health, "_cache", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"
    assert b"s3cret" not in response.content and b"10.0.0.5" not in response.content


def test_metrics_only_for_trusted_addresses_or_the_token(client, settings):
    client.get("/healthz")
    client.get("/")
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.METRICS_TOKEN = "t0ken"
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong"
        ).status_code
        == 404
    )
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer t0ken")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'thidua_http_requests_total{method="GET",status="2xx",view="core:home"}' in text
    assert "thidua_tasks_queued" in text
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_json_logs_are_one_object_a_line_with_extra_fields():
    record = logging.LogRecord("thidua", logging.WARNING, __file__, 1, "slow %s", ("page",), None)
    record.duration = 1.5
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "slow page" and entry["level"] == "WARNING"
    assert entry["duration"] == 1.5 and entry["logger"] == "thidua"


class TestReplicaRouting:
    """Which database a request reads from, with the replica's state given."""

    @pytest.fixture
    def seen(self, settings, monkeypatch):
        settings.REPLICA_PATHS = [r"/$", r"/p/", r"/movements/\d+/dashboard"]
        monkeypatch.setattr(dbrouter, "replica_state", lambda **kw: {"usable": True, "lag": 0})
        reads = []

        def view(request):
            reads.append(dbrouter.ReplicaRouter().db_for_read(_Model))
            return HttpResponse("ok")

        return reads, dbrouter.ReplicaMiddleware(view)

    def test_public_pages_and_dashboards_read_the_replica(self, seen):
        reads, middleware = seen
        for path in ["/", "/p/initiatives/", "/movements/7/dashboard/"]:
            middleware(RequestFactory().get(path))
        assert reads == ["replica"] * 3

    def test_other_pages_and_writes_read_the_primary(self, seen):
        reads, middleware = seen
        middleware(RequestFactory().get("/staff/"))
        response = middleware(RequestFactory().post("/p/initiatives/"))
        assert reads == ["default", "default"]
        # and whoever wrote reads the primary for a few seconds
        cookie = response.cookies[dbrouter.WROTE_COOKIE]
        assert cookie["max-age"] == 10 and cookie["httponly"]
        request = RequestFactory().get("/p/initiatives/")
        request.COOKIES[dbrouter.WROTE_COOKIE] = "1"
        middleware(request)
        assert reads[-1] == "default"

    def test_a_replica_down_or_lagging_is_skipped(self, seen, monkeypatch):
        reads, middleware = seen
        monkeypatch.setattr(dbrouter, "replica_state", lambda **kw: {"usable": False, "lag": 30})
        middleware(RequestFactory().get("/p/initiatives/"))
        assert reads == ["default"]

    def test_sessions_and_tasks_always_read_the_primary(self, seen, monkeypatch):
        from django.contrib.sessions.models import Session

        token = dbrouter._use_replica.set(True)
        try:
            assert dbrouter.ReplicaRouter().db_for_read(Session) == "default"
            assert dbrouter.ReplicaRouter().db_for_write(_Model) == "default"
        finally:
            dbrouter._use_replica.reset(token)

    def test_outside_a_request_everything_reads_the_primary(self):
        assert dbrouter.ReplicaRouter().db_for_read(_Model) == "default"


class _Model:
    class _meta:  # noqa: N801 - stands for a model's _meta
        app_label = "movements"
