"""`manage.py import_units` under the limits every import shares (core.filelimits): a wrongly
encoded CSV, a damaged workbook, a zip bomb, a file too large and a million rows each get one
translated sentence naming the problem, exit non-zero without a traceback, and write nothing."""

import io
import os
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from thidua.core import filelimits
from thidua.core.models import AuditEvent
from thidua.org.models import Unit

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,parent_code,valid_from\n"
ROOT = Path(__file__).resolve().parents[2]


def _workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(sheet_xml_chunks, *, sheet="xl/worksheets/sheet1.xml") -> bytes:
    """A real workbook whose first sheet's XML is replaced by the given chunks (streamed into
    the zip, so a huge sheet costs little memory to make)."""
    source = zipfile.ZipFile(io.BytesIO(_workbook_bytes([["code"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == sheet:
                with target.open(sheet, "w", force_zip64=True) as part:
                    for chunk in sheet_xml_chunks:
                        part.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
    return buffer.getvalue()


def _refused(path, match):
    before = (Unit.objects.count(), AuditEvent.objects.count())
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_units", str(path))
    assert "nothing was imported" in str(error.value)
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before
    return error


def test_a_csv_not_in_utf8_is_named_with_its_line(tree, tmp_path, capsys):
    path = tmp_path / "units.csv"
    text = HEADER + "00127-T1,Hòa Bình,residential_area,00127,2026-01-01\n"
    path.write_bytes(unicodedata.normalize("NFD", text).encode("cp1258"))
    _refused(path, "UTF-8")
    err = capsys.readouterr().err
    assert "The file is not UTF-8 text (line 2)" in err and "CSV UTF-8" in err
    assert "Row 0" not in err


def test_the_message_is_vietnamese_by_default(tree, tmp_path, capsys):
    path = tmp_path / "units.csv"
    text = HEADER + "X,Hòa,ward,00127,2026-01-01\n"
    path.write_bytes(unicodedata.normalize("NFD", text).encode("cp1258"))
    with pytest.raises(CommandError):
        call_command("import_units", str(path))
    assert "UTF-8" in capsys.readouterr().err and not Unit.objects.filter(code="X").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 300,  # a zip signature, then nothing
        b"not a workbook at all",
        None,  # a real package whose sheet XML is broken
    ],
    ids=["corrupt-zip", "text", "broken-sheet"],
)
def test_a_damaged_workbook_is_named(tree, tmp_path, capsys, content):
    if content is None:
        content = _with_sheet([b"<worksheet><sheetData><row><c>"])
    path = tmp_path / "units.xlsx"
    path.write_bytes(content)
    _refused(path, "damaged")
    err = capsys.readouterr().err
    assert "The file is damaged." in err or "not an Excel workbook" in err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tree, tmp_path, capsys):
    # 301 MB of XML whitespace that compresses to well under a megabyte
    chunk = b" " * (1024 * 1024)
    blank = (chunk for _ in range(filelimits.MAX_UNPACKED_BYTES // len(chunk) + 1))
    content = _with_sheet([b'<?xml version="1.0"?>', *blank])
    assert len(content) < 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(content)
    _refused(path, "unpacked")
    assert "too large once unpacked (at most 300 MB)" in capsys.readouterr().err


def test_a_file_over_the_size_limit_is_refused(tree, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(filelimits, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "units.csv"
    path.write_bytes(HEADER.encode() + b"X,Y,ward,00127,2026-01-01\n" * 50_000)
    _refused(path, "large")
    assert "The file is too large (at most 1 MB)." in capsys.readouterr().err


def test_a_million_row_csv_is_refused(tree, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes(HEADER.encode() + b"x,,,,\n" * 1_000_000)
    _refused(path, "rows")
    assert "more than 200000 rows" in capsys.readouterr().err


def test_a_million_row_workbook_is_refused(tree, tmp_path, capsys):
    rows = (
        "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>'
            for n in range(start, start + 10_000)
        ).encode()
        for start in range(1, 1_000_001, 10_000)
    )
    head = (
        b'<?xml version="1.0"?><worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    path = tmp_path / "units.xlsx"
    path.write_bytes(_with_sheet([head, *rows, b"</sheetData></worksheet>"]))
    _refused(path, "rows")
    assert "more than 200000 rows" in capsys.readouterr().err


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thidua.settings_test", "LANGUAGE": "en"}
    env.pop("DATABASE_URL", None)
    env["SQLITE_TEST_NAME"] = ""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "import_units", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert settings.LANGUAGE_CODE == "vi" and "CommandError" in done.stderr
