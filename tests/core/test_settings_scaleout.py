"""Each scale-out piece is switched on by the environment alone, and a wrong value stops the
start rather than the first request."""

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PRINT = """
import json
from thidua import settings as s
print(json.dumps({
    "cache": s.CACHES["default"], "session": s.SESSION_ENGINE, "tasks": s.TASKS["default"],
    "apps": s.INSTALLED_APPS, "rq": getattr(s, "RQ_QUEUES", None),
    "storages": {k: v["BACKEND"] for k, v in s.STORAGES.items()},
    "options": s.STORAGES["default"].get("OPTIONS", {}),
    "private": s.STORAGES.get("private", {}).get("OPTIONS", {}),
    "public": s.STORAGES.get("public", {}).get("OPTIONS", {}),
    "databases": sorted(s.DATABASES), "routers": s.DATABASE_ROUTERS, "middleware": s.MIDDLEWARE,
}, default=str))
"""


def settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "REDIS", "CACHE"))}
    clean.pop("DATABASE_REPLICA_URL", None)
    clean.pop("TASKS_BACKEND", None)
    clean.pop("MEDIA_STORAGE", None)
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        env={**clean, "PYTHONPATH": str(SRC), "THIDUA_ENV": "development", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_the_defaults_need_no_redis_replica_or_object_storage():
    found = json.loads(settings_with().stdout)
    assert found["cache"]["BACKEND"].endswith("LocMemCache")
    assert found["session"] == "django.contrib.sessions.backends.db"
    assert found["tasks"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    # on disk: uploads private by default, emblems in the public storage
    assert found["storages"]["default"] == found["storages"]["private"]
    assert found["storages"]["private"] == "thidua.core.uploads.PrivateStorage"
    assert found["storages"]["public"] == "thidua.core.uploads.PublicStorage"
    assert found["databases"] == ["default"]
    assert found["routers"] == [] and "django_rq" not in found["apps"]


def test_redis_url_gives_the_queue_the_cache_and_sessions():
    found = json.loads(settings_with(REDIS_URL="redis://redis:6379/0", TASKS_BACKEND="rq").stdout)
    assert found["tasks"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert {"django_rq", "django_tasks_rq"} <= set(found["apps"])
    assert found["rq"]["default"]["URL"] == "redis://redis:6379/0"
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache"]["LOCATION"] == "redis://redis:6379/1"  # another database number
    assert found["session"] == "django.contrib.sessions.backends.cached_db"


def test_object_storage_for_media_and_private_files():
    found = json.loads(
        settings_with(
            MEDIA_STORAGE="s3", S3_BUCKET="thidua", S3_ENDPOINT_URL="http://s3:9000"
        ).stdout
    )
    assert found["storages"]["default"] == found["storages"]["private"]
    assert found["storages"]["default"] == "storages.backends.s3.S3Storage"
    assert found["options"]["location"] == "private" and found["private"]["location"] == "private"
    assert found["options"]["default_acl"] == "private" and found["options"]["querystring_auth"]
    # emblems: readable by anyone at a stable address (public pages that show them are cached)
    assert (
        found["public"]["location"] == "media" and found["public"]["default_acl"] == "public-read"
    )
    assert found["public"]["querystring_auth"] is False


def test_a_replica_adds_the_router_and_its_middleware():
    found = json.loads(
        settings_with(
            DATABASE_URL="postgres://u@primary/thidua",
            DATABASE_REPLICA_URL="postgres://u@replica/thidua",
        ).stdout
    )
    assert found["databases"] == ["default", "replica"]
    assert found["routers"] == ["thidua.core.dbrouter.ReplicaRouter"]
    assert "thidua.core.dbrouter.ReplicaMiddleware" in found["middleware"]


def test_wrong_values_stop_the_start():
    for env, message in [
        ({"TASKS_BACKEND": "rq"}, "TASKS_BACKEND=rq needs REDIS_URL"),
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs S3_BUCKET"),
        ({"MEDIA_STORAGE": "nfs"}, "MEDIA_STORAGE must be filesystem or s3"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL must be a redis:// URL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json"),
    ]:
        result = settings_with(**env)
        assert result.returncode != 0 and message in result.stderr, (env, result.stderr[-300:])
