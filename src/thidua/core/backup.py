"""Back up the database and the files together, and restore both on an empty machine.

A backup is a folder:
- `database.dump`: `pg_dump --format=custom` of the primary (schema, rows, sequences, the audit
  trigger);
- `media.tar.gz`: MEDIA_ROOT (uploads, certificates) and PRIVATE_MEDIA_ROOT (files only the
  permission-checking views hand out), under `media/` and `private/`;
- `manifest.json`: when, the Thidua version, each file's size and SHA-256, and the row count of
  every table.

Restoring checks every checksum first, refuses a database that already has tables or media
folders that are not empty, then runs `pg_restore`, unpacks the files and compares the row counts
with the manifest. Object storage (MEDIA_STORAGE=s3) is backed up by the bucket's own versioning
or replication: the files part then says so and is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = 1
DUMP = "database.dump"
FILES = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    for key, value in {
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }.items():
        if value:
            env[key] = value
    return env


def _require_postgres(db: dict) -> None:
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups are for PostgreSQL (the demo's SQLite file is copied as is).")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_names(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor):
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def table_checksums(cursor) -> dict[str, tuple[int, str]]:
    """Per table: its row count and an MD5 over its rows' texts in a fixed order."""
    sums = {}
    for table in table_names(cursor):
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), ',' "
            f"ORDER BY md5(t::text)), '')) FROM \"{table}\" t"
        )
        sums[table] = tuple(cursor.fetchone())
    return sums


def _file_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def backup(destination: Path) -> dict:
    """Write a backup folder; return its manifest."""
    db = settings.DATABASES["default"]
    _require_postgres(db)
    destination.mkdir(parents=True, exist_ok=False)
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            destination / DUMP,
        ],
        env=_pg_env(db),
        check=True,
        capture_output=True,
    )
    files: dict[str, dict] = {}
    if settings.MEDIA_STORAGE == "filesystem":
        with tarfile.open(destination / FILES, "w:gz") as archive:
            for name, root in _file_roots().items():
                if root.exists():
                    archive.add(root, arcname=name)
                for path in sorted(root.rglob("*")) if root.exists() else []:
                    if path.is_file():
                        files[f"{name}/{path.relative_to(root).as_posix()}"] = {
                            "size": path.stat().st_size,
                            "sha256": sha256(path),
                        }
    with connection.cursor() as cursor:
        counts = row_counts(cursor)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"file": DUMP, "sha256": sha256(destination / DUMP), "rows": counts},
        "files": (
            {"file": FILES, "sha256": sha256(destination / FILES), "contents": files}
            if settings.MEDIA_STORAGE == "filesystem"
            else {"skipped": "object storage: backed up by the bucket's versioning/replication"}
        ),
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def _empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def verify(source: Path) -> dict:
    """The manifest, once every file it names has its checksum."""
    manifest = json.loads((source / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    parts = [manifest["database"]]
    if "file" in manifest["files"]:
        parts.append(manifest["files"])
    for part in parts:
        path = source / part["file"]
        if not path.exists() or sha256(path) != part["sha256"]:
            raise BackupError(f"{part['file']} is missing or damaged (checksum differs).")
    return manifest


def restore(source: Path) -> dict:
    """Restore a backup folder onto an empty database and empty media folders."""
    db = settings.DATABASES["default"]
    _require_postgres(db)
    manifest = verify(source)
    with connection.cursor() as cursor:
        if table_names(cursor):
            raise BackupError(
                f"The database {db['NAME']} is not empty: restore needs an empty one."
            )
    roots = _file_roots()
    if "file" in manifest["files"]:
        for root in roots.values():
            if not _empty(root):
                raise BackupError(f"{root} is not empty: restore needs empty media folders.")
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            db["NAME"],
            source / DUMP,
        ],
        env=_pg_env(db),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
    if "file" in manifest["files"]:
        staging = Path(str(roots["media"]).rstrip("/") + ".restoring")
        shutil.rmtree(staging, ignore_errors=True)
        with tarfile.open(source / FILES, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        for name, root in roots.items():
            if (staging / name).exists():
                root.mkdir(parents=True, exist_ok=True)
                for child in (staging / name).iterdir():
                    shutil.move(child, root / child.name)
        shutil.rmtree(staging, ignore_errors=True)
        for name, expected in manifest["files"]["contents"].items():
            top, _, rest = name.partition("/")
            path = roots[top] / rest
            if not path.exists() or sha256(path) != expected["sha256"]:
                raise BackupError(f"{name} did not come back intact.")
    with connection.cursor() as cursor:
        counts = row_counts(cursor)
    if counts != manifest["database"]["rows"]:
        differ = sorted(
            t
            for t in set(counts) | set(manifest["database"]["rows"])
            if counts.get(t) != manifest["database"]["rows"].get(t)
        )
        raise BackupError(f"Row counts differ after the restore: {', '.join(differ)}.")
    return manifest
