import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tests.factories import UserFactory
from thidua.core.models import AuditEvent
from thidua.org.imports import ImportFailed, read_table
from thidua.org.models import Unit
from thidua.org.services.imports import import_units

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,parent_code,valid_from,valid_to,households,population\n"


def write(tmp_path: Path, text: str, name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_csv_import_creates_all_units_children_before_parents_allowed(tree, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "00127-TDP9,Tổ dân phố 9,residential_area,00127-KV,2026-01-01,,120,480\n"
        + "00127-KV,Khu vực 2,residential_area,00127,2026-01-01,,,\n",
    )
    # A residential area under another residential area is refused (same level)...
    with pytest.raises(CommandError):
        call_command("import_units", str(path))
    assert not Unit.objects.filter(code__startswith="00127-").exclude(code="00127-01").exists()
    path = write(
        tmp_path,
        HEADER
        + "00127-TDP9,Tổ dân phố 9,residential_area,00127,2026-01-01,,120,480\n"
        + "00127-TDP10,Tổ dân phố 10,residential_area,00127,2026-01-01,2026-12-31,90,\n",
    )
    call_command("import_units", str(path))
    created = Unit.objects.get(code="00127-TDP9")
    assert created.parent == tree["bo_de"]
    assert created.path.startswith(tree["bo_de"].path)
    assert created.households == 120 and created.population == 480
    assert Unit.objects.get(code="00127-TDP10").valid_to == dt.date(2026, 12, 31)
    assert AuditEvent.objects.filter(verb="org.import_units").count() == 1


def test_bad_file_names_every_bad_row_and_column_and_writes_nothing(tree, tmp_path):
    before = Unit.objects.count()
    path = write(
        tmp_path,
        HEADER
        + "OK-1,Tổ 1,residential_area,00127,2026-01-01,,,\n"
        + ",Không mã,residential_area,00127,2026-01-01,,,\n"
        + "BAD-KIND,Tổ 2,hamlet,00127,2026-01-01,,,\n"
        + "BAD-DATE,Tổ 3,residential_area,00127,01/02/2026,,,\n"
        + "BAD-PARENT,Tổ 4,residential_area,NOPE,2026-01-01,,,\n"
        + "BAD-END,Tổ 5,residential_area,00127,2026-01-01,2025-01-01,,\n"
        + "BAD-NUM,Tổ 6,residential_area,00127,2026-01-01,,many,\n"
        + "OK-1,Tổ 1 lặp,residential_area,00127,2026-01-01,,,\n",
    )
    with pytest.raises(ImportFailed) as failure:
        import_units(UserFactory(username="root", is_superuser=True), rows=read_table(path))
    found = {(e.row, e.column) for e in failure.value.errors}
    assert found == {
        (3, "code"),
        (4, "kind"),
        (5, "valid_from"),
        (6, "parent_code"),
        (7, "valid_to"),
        (8, "households"),
        (9, "code"),
    }
    assert Unit.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_command_prints_each_error_and_fails(tree, tmp_path, capsys):
    path = write(tmp_path, HEADER + "X,Tổ,hamlet,00127,2026-01-01,,,\n")
    with pytest.raises(CommandError, match="không có dữ liệu nào được nhập"):
        call_command("import_units", str(path))
    assert "hamlet" in capsys.readouterr().err


def test_missing_header_column_is_named(tree, tmp_path):
    path = write(tmp_path, "code,name,kind\nX,Y,ward\n")
    with pytest.raises(ImportFailed) as failure:
        import_units(UserFactory(username="root", is_superuser=True), rows=read_table(path))
    assert {e.column for e in failure.value.errors} == {"parent_code", "valid_from"}


def test_xlsx_import(tree, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Name", "Kind", "Parent_code", "Valid_from"])
    sheet.append(["00097-01", "Tổ dân phố 1", "residential_area", "00097", dt.date(2026, 3, 1)])
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    call_command("import_units", str(path))
    unit = Unit.objects.get(code="00097-01")
    assert unit.parent == tree["quang_an"] and unit.valid_from == dt.date(2026, 3, 1)


def test_dry_run_writes_nothing(tree, tmp_path):
    path = write(tmp_path, HEADER + "DRY,Tổ khô,residential_area,00127,2026-01-01,,,\n")
    call_command("import_units", str(path), "--dry-run")
    assert not Unit.objects.filter(code="DRY").exists()


def test_district_administrator_cannot_import_under_another_district(tree, tmp_path):
    lb_admin = UserFactory(username="lb-admin", roles=[("administrator", tree["long_bien"])])
    path = write(
        tmp_path,
        HEADER
        + "LB-1,Tổ LB,residential_area,00127,2026-01-01,,,\n"
        + "TH-1,Tổ TH,residential_area,00097,2026-01-01,,,\n",
    )
    with pytest.raises(ImportFailed) as failure:
        import_units(lb_admin, rows=read_table(path))
    assert [(e.row, e.column) for e in failure.value.errors] == [(3, "parent_code")]
    assert not Unit.objects.filter(code__in=["LB-1", "TH-1"]).exists()
    # Only its own subtree: accepted.
    path = write(tmp_path, HEADER + "LB-1,Tổ LB,residential_area,00127,2026-01-01,,,\n")
    assert len(import_units(lb_admin, rows=read_table(path))) == 1


def test_officer_cannot_import(tree, officer, tmp_path):
    path = write(tmp_path, HEADER + "LB-2,Tổ,residential_area,00127,2026-01-01,,,\n")
    with pytest.raises(ImportFailed):
        import_units(officer, rows=read_table(path))
    assert not Unit.objects.filter(code="LB-2").exists()


def test_other_file_types_are_refused(tmp_path):
    with pytest.raises(ImportFailed):
        read_table(tmp_path / "units.txt", content=b"x")
