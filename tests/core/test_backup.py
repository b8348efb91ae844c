"""Backup and restore on PostgreSQL: the database and the files together, onto an empty
database and empty folders, with identical rows, the same files and an intact audit chain."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from tests.factories import UserFactory, make_unit
from thidua.core import audit
from thidua.core.backup import table_checksums

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PROJECT = Path(__file__).resolve().parents[2]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    city = make_unit("Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127")
    actor = UserFactory(username="bk-admin")
    with transaction.atomic():
        for number in range(5):
            audit.record(actor, "test.backup", ward, {"n": number, "tên": "Bồ Đề"}, unit=ward)
    default_storage.save("honors/emblems/sao.png", ContentFile(b"\x89PNG fake emblem"))
    (tmp_path / "private" / "initiatives").mkdir(parents=True)
    (tmp_path / "private" / "initiatives" / "bien-ban.pdf").write_bytes(b"%PDF-1.4 minutes")
    return tmp_path


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def test_backup_then_restore_on_an_empty_machine_gives_the_same_rows_and_files(
    data, empty_database
):
    call_command("backup", str(data / "backup"))
    assert {p.name for p in (data / "backup").iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "manifest.json",
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thidua.settings",
        "THIDUA_ENV": "development",
        "DATABASE_URL": _url(empty_database),
        "MEDIA_ROOT": str(data / "restored-media"),
        "PRIVATE_MEDIA_ROOT": str(data / "restored-private"),
    }
    result = subprocess.run(
        [sys.executable, str(PROJECT / "manage.py"), "restore", str(data / "backup")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Audit chain intact: 5 events verified." in result.stdout
    with connection.cursor() as cursor:
        before = table_checksums(cursor)
    with psycopg.connect(_url(empty_database)) as restored, restored.cursor() as cursor:
        after = table_checksums(cursor)
        # the trigger that keeps the audit log append-only came back too
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            cursor.execute("DELETE FROM core_auditevent")
    assert len(before) > 50 and after == before
    assert _files(data / "restored-media") == _files(data / "media")
    assert _files(data / "restored-private") == _files(data / "private")


def test_restore_refuses_a_damaged_backup_or_a_database_in_use(data):
    call_command("backup", str(data / "backup"))
    # the test database has tables: nothing is overwritten
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(data / "backup"))
    dump = data / "backup" / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(data / "backup"))
