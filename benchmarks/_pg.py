"""What the PostgreSQL benchmarks share: the bench database on the server of DATABASE_URL (never
another), a record of what is loaded in it (`bench_info`, for `--reuse`), step timing and the
loading steps every one of them takes."""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from collections.abc import Callable
from typing import Any

HANOI = "01"


def database_settings(name: str) -> dict[str, Any]:
    """The server of DATABASE_URL with the bench database's name; DATABASE_URL is pointed at it
    for Django."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("Set DATABASE_URL=postgres://…; this benchmark refuses SQLite.")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"This benchmark runs on PostgreSQL only, not {config['ENGINE']}.")
    config["NAME"] = name
    user = config.get("USER") or ""
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = config.get("HOST") or "127.0.0.1"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    os.environ["DATABASE_URL"] = f"postgres://{credentials}{host}{port}/{name}"
    return config


def connect(config: dict[str, Any], dbname: str, autocommit: bool = False):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=autocommit,
    )


def loaded_info(config: dict[str, Any], name: str) -> dict[str, str] | None:
    """What `record_info` wrote in the bench database, or None when it is not loaded."""
    with connect(config, "postgres", autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            return None
    with connect(config, name) as conn:
        if conn.execute("SELECT to_regclass('bench_info')").fetchone()[0] is None:
            return None
        return dict(conn.execute("SELECT key, value FROM bench_info").fetchall())


def recreate_database(config: dict[str, Any], name: str) -> None:
    with connect(config, "postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


class Timer:
    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    def run(self, label: str, fn: Callable[[], Any]) -> Any:
        print(f"  {label}…", end="", flush=True)
        start = time.perf_counter()
        result = fn()
        self.steps[label] = time.perf_counter() - start
        print(f" {self.steps[label]:.1f} s", flush=True)
        return result


def stable(*parts: Any) -> int:
    """A deterministic pseudo-random number from the parts (same data on every run)."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def import_hanoi() -> None:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("import_vietnam", province=HANOI, stdout=out)
    for line in out.getvalue().splitlines():
        print(f"    {line}")


def bench_admin():
    from thidua.accounts.models import User

    user, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def record_info(info: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_info (key text PRIMARY KEY, value text)")
        for key, value in info.items():
            cursor.execute(
                "INSERT INTO bench_info (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, str(value)],
            )
