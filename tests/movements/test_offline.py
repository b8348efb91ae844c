"""Offline units: the Excel template, the all-or-nothing upload, the job page."""

import contextlib
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory, make_unit
from thidua.core.models import AuditEvent
from thidua.movements import offline, services
from thidua.movements.models import ImportJob, Movement, Report, ReportEvent, ReportValue
from thidua.movements.offline import limits
from thidua.movements.services.offline import _snapshot, _snapshot_json, import_reports
from thidua.movements.tasks import run_import

pytestmark = pytest.mark.django_db

INJECTION = "=cmd|' /C calc'!A0"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def movement(tree, admin_user):
    movement = services.create_movement(
        admin_user,
        title="Toàn dân đoàn kết xây dựng đời sống văn hóa",
        owner_unit=tree["city"],
        kind=Movement.Kind.PERIODIC,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        schedule=Movement.Schedule.QUARTERLY,
        indicators=[
            {"name": "Households reached", "unit_of_measure": "hộ"},
            {"name": "Cultural households", "aggregation": "ratio"},
        ],
    )
    return services.launch_movement(admin_user, movement=movement, on=dt.date(2025, 1, 1))


def indicators(movement):
    reached, cultural = movement.indicators.order_by("order")
    return reached, cultural


def download(client, movement, unit, **params):
    response = client.get(
        reverse("movements:offline_template", args=[movement.pk]), {"unit": unit.pk, **params}
    )
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows_by_key(sheet):
    """{(code, period): row number} of the data sheet."""
    return {
        (sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=3).value): r
        for r in range(2, sheet.max_row + 1)
    }


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, movement, unit, content: bytes, name="reports.xlsx"):
    return client.post(
        reverse("movements:offline_upload", args=[movement.pk]),
        {"unit": unit.pk, "file": SimpleUploadedFile(name, content)},
    )


def upload_and_follow(client, movement, unit, content: bytes, capture):
    """Upload, let the task run once the request's transaction commits, open the job page."""
    with capture(execute=True):
        response = upload(client, movement, unit, content)
    assert response.status_code == 302, response.context["form"].errors
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("movements:offline_job", args=[movement.pk, job.pk])
    page = client.get(response["Location"])
    job.refresh_from_db()
    return job, page.content.decode()


def error_cells(job):
    return {(e["row"], e["column"]) for e in job.errors}


# --- the template ---------------------------------------------------------------------------


def test_template_lists_each_participating_unit_and_period(client, tree, officer, movement):
    make_unit("Tổ dân phố 2", parent=tree["bo_de"], code="00127-02", valid_to=dt.date(2025, 5, 1))
    client.force_login(officer)
    workbook = download(client, movement, tree["long_bien"])
    sheet = workbook.worksheets[0]
    reached, cultural = indicators(movement)
    assert [c.value for c in sheet[1]] == [c.label for c in offline.template_columns(movement)]
    assert len([c for c in offline.template_columns(movement) if c.key.startswith("base:")]) == 1
    keys = set(rows_by_key(sheet))
    codes = {"004", "00127", "00118", "00127-01"}
    expected = {(code, f"2025-Q{q}") for code in codes for q in range(1, 5)}
    # the closed group is there for Q1 only (in force on 2025-03-31, not on 2025-06-30)
    assert keys == expected | {("00127-02", "2025-Q1")}
    meta = workbook["thidua"]
    assert meta.sheet_state == "veryHidden"
    assert meta["B2"].value == movement.pk
    assert [c.value for c in meta[4]][1:] == [
        "unit_code",
        "unit_name",
        "period",
        f"value:{reached.pk}",
        f"value:{cultural.pk}",
        f"base:{cultural.pk}",
        "narrative",
    ]
    assert sheet.protection.sheet
    assert sheet["A2"].protection.locked is True  # the unit and period are locked
    assert sheet.column_dimensions["D"].protection.locked is False  # values are not
    assert sheet.column_dimensions["G"].protection.locked is False


def test_template_for_one_period_leaves_out_submitted_and_prefills_drafts(
    client, tree, officer, movement
):
    reached, _cultural = indicators(movement)
    q1 = movement.periods.get(label="2025-Q1")
    services.save_report(
        officer,
        movement=movement,
        unit=tree["bo_de"],
        period=q1,
        values={reached.pk: 5},
        submit=True,
    )
    services.save_report(
        officer,
        movement=movement,
        unit=tree["phuc_loi"],
        period=q1,
        values={reached.pk: 7},
        narrative="draft",
    )
    client.force_login(officer)
    sheet = download(client, movement, tree["long_bien"], period=q1.pk).worksheets[0]
    keys = rows_by_key(sheet)
    assert set(keys) == {("004", "2025-Q1"), ("00118", "2025-Q1"), ("00127-01", "2025-Q1")}
    row = keys[("00118", "2025-Q1")]
    assert sheet.cell(row=row, column=4).value == 7
    assert sheet.cell(row=row, column=4).protection.locked is False
    assert sheet.cell(row=row, column=7).value == "draft"


def test_exported_cells_are_never_formulas(client, tree, officer, movement):
    make_unit(INJECTION, parent=tree["bo_de"], code="00127-99")
    client.force_login(officer)
    sheet = download(client, movement, tree["long_bien"]).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    names = [c for c in cells if isinstance(c.value, str) and "cmd|" in c.value]
    assert names and all(c.data_type == "s" and c.value == "'" + INJECTION for c in names)


def test_template_needs_permission_to_enter_data(client, tree, movement):
    editor = UserFactory(username="lb-editor", roles=[("editor", tree["long_bien"])])
    client.force_login(editor)
    url = reverse("movements:offline_template", args=[movement.pk])
    assert client.get(url, {"unit": tree["long_bien"].pk}).status_code == 403
    assert client.get(reverse("movements:offline_upload", args=[movement.pk])).status_code == 403


@pytest.mark.parametrize("name", ["tay_ho", "quang_an"])
def test_template_outside_scope_is_a_404_like_a_missing_unit(client, tree, officer, movement, name):
    client.force_login(officer)
    url = reverse("movements:offline_template", args=[movement.pk])
    assert client.get(url, {"unit": tree[name].pk}).status_code == 404
    assert client.get(url, {"unit": 999_999}).status_code == 404
    assert client.get(url).status_code == 404


# --- the upload -----------------------------------------------------------------------------


def test_download_fill_upload_imports_the_filled_rows(
    client, tree, officer, movement, django_capture_on_commit_callbacks
):
    reached, cultural = indicators(movement)
    client.force_login(officer)
    workbook = download(client, movement, tree["long_bien"])
    sheet = workbook.worksheets[0]
    keys = rows_by_key(sheet)
    row = keys[("00127", "2025-Q1")]
    sheet.cell(row=row, column=4).value = 120
    sheet.cell(row=row, column=5).value = 30.5
    sheet.cell(row=row, column=6).value = "100"
    sheet.cell(row=row, column=7).value = "Làm tốt"
    sheet.cell(row=keys[("00118", "2025-Q2")], column=4).value = 80
    job, page = upload_and_follow(
        client, movement, tree["long_bien"], to_bytes(workbook), django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.processed_rows == 2 and job.finished_at is not None
    assert 'data-testid="job-result"' in page and 'hx-trigger="every' not in page
    reports = Report.objects.filter(movement=movement).select_related("unit", "period")
    assert {(r.unit.code, r.period.label, r.status) for r in reports} == {
        ("00127", "2025-Q1", "submitted"),
        ("00118", "2025-Q2", "submitted"),
    }
    bo_de = reports.get(unit=tree["bo_de"])
    assert bo_de.narrative == "Làm tốt" and bo_de.submitted_at is not None
    assert {(v.indicator_id, v.value, v.base) for v in bo_de.values.all()} == {
        (reached.pk, Decimal("120.00"), None),
        (cultural.pk, Decimal("30.50"), Decimal("100.00")),
    }
    event = ReportEvent.objects.get(report=bo_de)
    assert event.status == "submitted" and event.actor == officer
    assert event.values[str(cultural.pk)] == ["30.50", "100.00"]
    audit = AuditEvent.objects.filter(verb="movements.import_reports")
    assert audit.count() == 1 and audit.get().data["reports"] == 2


def test_a_draft_or_returned_report_is_replaced(client, tree, officer, movement):
    reached, _cultural = indicators(movement)
    q3 = movement.periods.get(label="2025-Q3")
    draft = services.save_report(
        officer, movement=movement, unit=tree["bo_de"], period=q3, values={reached.pk: 1}
    )
    client.force_login(officer)
    workbook = download(client, movement, tree["bo_de"], period=q3.pk)
    sheet = workbook.worksheets[0]
    row = rows_by_key(sheet)[("00127", "2025-Q3")]
    assert sheet.cell(row=row, column=4).value == 1
    sheet.cell(row=row, column=4).value = 9
    result = import_reports(
        officer, movement=movement, unit=tree["bo_de"], rows_or_path=to_bytes(workbook)
    )
    assert result.created == 1 and result.skipped == 1  # the group's row was left empty
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert list(draft.values.values_list("value", flat=True)) == [Decimal("9.00")]
    assert Report.objects.filter(movement=movement).count() == 1


def test_every_bad_row_and_column_is_named_and_nothing_is_written(
    client, tree, officer, movement, django_capture_on_commit_callbacks
):
    reached, _cultural = indicators(movement)
    make_unit("Tổ dân phố 2", parent=tree["bo_de"], code="00127-02", valid_to=dt.date(2025, 5, 1))
    q2 = movement.periods.get(label="2025-Q2")
    services.save_report(
        officer,
        movement=movement,
        unit=tree["phuc_loi"],
        period=q2,
        values={reached.pk: 3},
        submit=True,
    )
    client.force_login(officer)
    workbook = download(client, movement, tree["long_bien"])
    sheet = workbook.worksheets[0]
    keys = rows_by_key(sheet)

    def put(code, period, **cells):
        row = keys[(code, period)]
        for letter, value in cells.items():
            sheet[f"{letter}{row}"] = value
        return row

    good = put("004", "2025-Q1", D=10)
    bad = {
        (put("00127", "2025-Q2", D="abc"), "D"),  # not a number
        (put("00127", "2025-Q3", D=-5), "D"),  # negative
        (put("00127", "2025-Q4", E=30), "F"),  # a ratio without its base
        (put("00118", "2025-Q1", E=1, F=0), "F"),  # a zero base
        (put("00118", "2025-Q3", D=1, A="NOPE"), "A"),  # no such unit
        (put("00118", "2025-Q4", D=1, C="2030-Q1"), "C"),  # not a period of the movement
        (put("00127-01", "2025-Q1", D=1, A="004"), "A"),  # the same unit and period as `good`
        (put("004", "2025-Q2", D=1, G=INJECTION), "G"),  # a formula
        (put("004", "2025-Q3", D="+1"), "D"),  # a formula, too
        (put("004", "2025-Q4", D=1, A="00097"), "A"),  # Quảng An: outside Long Biên
        (put("00127-02", "2025-Q1", D=1, C="2025-Q3"), "A"),  # closed by the end of Q3
        (put("00127-01", "2025-Q2", D=1, A="00118"), "C"),  # Phúc Lợi reported for Q2
    }
    sheet["D1"] = "Renamed"  # headers of the template are checked too
    bad.add((1, "D"))
    capture = django_capture_on_commit_callbacks
    job, _page = upload_and_follow(client, movement, tree["long_bien"], to_bytes(workbook), capture)
    assert job.status == ImportJob.Status.FAILED
    assert error_cells(job) == {(1, "D")}  # a changed header stops the check there

    sheet["D1"] = offline.template_columns(movement)[3].label
    job, page = upload_and_follow(client, movement, tree["long_bien"], to_bytes(workbook), capture)
    assert job.status == ImportJob.Status.FAILED
    assert error_cells(job) == bad - {(1, "D")}
    assert good not in {row for row, _column in error_cells(job)}
    assert 'data-testid="import-errors"' in page and 'hx-trigger="every' not in page
    assert Report.objects.filter(movement=movement).count() == 1  # only Phúc Lợi's
    assert ReportValue.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="movements.import_reports").exists()


def test_formula_injection_is_refused_with_a_clear_message(tree, officer, movement):
    columns = [c.label for c in offline.template_columns(movement)]
    rows = [columns, ["00127", "Phường Bồ Đề", "2025-Q1", "1", "", "", "@SUM(1+1)*cmd"]]
    with pytest.raises(offline.ImportFailed) as failure:
        import_reports(officer, movement=movement, unit=tree["long_bien"], rows_or_path=rows)
    (error,) = failure.value.errors
    assert (error.row, error.column) == (2, "G") and "“@”" in error.message
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"code,period,value\n00127,2025-Q1,1\n",  # a CSV named .xlsx
        b"PK\x03\x04" + b"\x00" * 200,  # a zip signature, then nothing
        b"%PDF-1.7\n",
    ],
    ids=["text", "corrupt-zip", "pdf"],
)
def test_a_file_that_is_not_a_workbook_is_refused_at_upload(
    client, tree, officer, movement, content
):
    client.force_login(officer)
    response = upload(client, movement, tree["long_bien"], content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_a_damaged_workbook_fails_the_job_and_writes_nothing(
    client, tree, officer, movement, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")  # broken XML
    client.force_login(officer)
    job, page = upload_and_follow(
        client, movement, tree["long_bien"], buffer.getvalue(), django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.FAILED
    assert error_cells(job) == {(0, "")}
    assert job.errors[0]["message"] in page
    assert not Report.objects.exists()


def test_a_workbook_from_elsewhere_is_refused(client, tree, officer, movement, admin_user):
    other = services.create_movement(
        admin_user,
        title="Another",
        owner_unit=tree["city"],
        kind=Movement.Kind.PERIODIC,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        schedule=Movement.Schedule.QUARTERLY,
        indicators=[{"name": "Households reached", "unit_of_measure": "hộ"}],
    )
    services.launch_movement(admin_user, movement=other)
    client.force_login(officer)
    workbook = download(client, other, tree["long_bien"])
    workbook.worksheets[0]["D2"] = 1
    with pytest.raises(offline.ImportFailed) as failure:
        import_reports(
            officer, movement=movement, unit=tree["long_bien"], rows_or_path=to_bytes(workbook)
        )
    assert [(e.row, e.column) for e in failure.value.errors] == [(0, "")]


def test_oversized_files_are_refused(client, tree, officer, movement, monkeypatch):
    client.force_login(officer)
    workbook = download(client, movement, tree["long_bien"])
    workbook.worksheets[0]["D2"] = 1
    content = to_bytes(workbook)
    monkeypatch.setattr(limits, "MAX_BYTES", len(content) - 1)
    response = upload(client, movement, tree["long_bien"], content)
    assert response.context["form"].errors["file"]
    with pytest.raises(offline.ImportFailed):
        import_reports(officer, movement=movement, unit=tree["long_bien"], rows_or_path=content)
    monkeypatch.setattr(limits, "MAX_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    with pytest.raises(offline.ImportFailed) as failure:
        import_reports(officer, movement=movement, unit=tree["long_bien"], rows_or_path=content)
    assert "5" in failure.value.errors[0].message
    assert not Report.objects.exists()


def test_a_unit_outside_the_officers_scope_is_refused(client, tree, officer, movement):
    client.force_login(officer)
    response = upload(client, movement, tree["tay_ho"], b"PK\x03\x04")
    assert response.context["form"].errors["unit"]  # not among the officer's units
    with pytest.raises(PermissionDenied):
        import_reports(officer, movement=movement, unit=tree["tay_ho"], rows_or_path=b"PK\x03\x04")
    assert not ImportJob.objects.exists()


def test_progress_is_reported_while_checking_and_writing(tree, officer, movement, monkeypatch):
    monkeypatch.setattr(limits, "PROGRESS_EVERY", 2)
    columns = [c.label for c in offline.template_columns(movement)]
    rows = [columns] + [
        [code, "", f"2025-Q{q}", q, "", "", ""]
        for code in ("00127", "00118", "00127-01")
        for q in range(1, 5)
    ]
    calls = []
    result = import_reports(
        officer,
        movement=movement,
        unit=tree["long_bien"],
        rows_or_path=rows,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.created == 12
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    assert len(calls) >= 6


# --- the job --------------------------------------------------------------------------------


def test_the_job_page_polls_while_running_and_is_only_for_its_uploader(
    client, tree, officer, movement
):
    job = ImportJob.objects.create(
        movement=movement,
        unit=tree["long_bien"],
        file=SimpleUploadedFile("r.xlsx", b"x"),
        created_by=officer,
        status=ImportJob.Status.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    url = reverse("movements:offline_job", args=[movement.pk, job.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "25%" in page and "<html" in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-get="' + url + '"' in partial and "<html" not in partial

    colleague = UserFactory(username="lb-colleague", roles=[("officer", tree["long_bien"])])
    client.force_login(colleague)
    missing = reverse("movements:offline_job", args=[movement.pk, 999_999])
    assert client.get(url).status_code == client.get(missing).status_code == 404


def test_the_task_is_idempotent(tree, officer, movement, client):
    client.force_login(officer)
    workbook = download(client, movement, tree["bo_de"])
    workbook.worksheets[0]["D2"] = 4
    job = ImportJob.objects.create(
        movement=movement,
        unit=tree["bo_de"],
        file=SimpleUploadedFile("r.xlsx", to_bytes(workbook)),
        created_by=officer,
        status=ImportJob.Status.RUNNING,  # as a worker that died before it started
    )
    assert run_import.enqueue(job.pk).return_value == "done"
    assert run_import.enqueue(job.pk).return_value == "done"  # delivered again: left alone
    assert Report.objects.count() == 1
    job.refresh_from_db()
    assert job.processed_rows == job.total_rows == 1 and job.errors == []


def as_excel_saves_it(content: bytes) -> bytes:
    """The workbook with its text in a shared-strings table, as Excel and LibreOffice write it
    (openpyxl writes every text inline)."""
    import xml.etree.ElementTree as ET

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ET.register_namespace("", ns)
    source = zipfile.ZipFile(io.BytesIO(content))
    strings: list[str] = []
    sheets = {}
    for name in source.namelist():
        if name.startswith("xl/worksheets/sheet"):
            root = ET.fromstring(source.read(name))
            for cell in root.iter(f"{{{ns}}}c"):
                if cell.get("t") == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{{{ns}}}t"))
                    for child in list(cell):
                        cell.remove(child)
                    cell.set("t", "s")
                    ET.SubElement(cell, f"{{{ns}}}v").text = str(len(strings))
                    strings.append(text)
            sheets[name] = ET.tostring(root, xml_declaration=True, encoding="UTF-8")
    table = ET.Element(f"{{{ns}}}sst", count=str(len(strings)), uniqueCount=str(len(strings)))
    for text in strings:
        ET.SubElement(ET.SubElement(table, f"{{{ns}}}si"), f"{{{ns}}}t").text = text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = sheets.get(name) or source.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSharedStrings" Target="sharedStrings.xml" Type="http:'
                    b"//schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    b'sharedStrings"/></Relationships>',
                )
            target.writestr(name, data)
        target.writestr("xl/sharedStrings.xml", ET.tostring(table, encoding="UTF-8"))
    return buffer.getvalue()


def test_a_workbook_saved_by_excel_is_read_the_same(client, tree, officer, movement):
    reached, cultural = indicators(movement)
    client.force_login(officer)
    workbook = download(client, movement, tree["long_bien"])
    sheet = workbook.worksheets[0]
    keys = rows_by_key(sheet)
    row = keys[("00127", "2025-Q1")]
    sheet[f"D{row}"], sheet[f"E{row}"], sheet[f"F{row}"] = "12,5", 3, 4
    sheet[f"G{row}"] = "Tổ dân phố có 120 hộ & 3 nhà văn hóa <mới>"
    content = as_excel_saves_it(to_bytes(workbook))
    assert b"sharedStrings" in content and b"inlineStr" not in content
    result = import_reports(
        officer, movement=movement, unit=tree["long_bien"], rows_or_path=content
    )
    assert result.created == 1
    report = Report.objects.get()
    assert report.narrative == "Tổ dân phố có 120 hộ & 3 nhà văn hóa <mới>"
    assert {(v.indicator_id, v.value, v.base) for v in report.values.all()} == {
        (reached.pk, Decimal("12.50"), None),
        (cultural.pk, Decimal("3.00"), Decimal("4.00")),
    }


def test_formulas_dates_and_booleans_are_not_numbers(client, tree, officer, movement):
    client.force_login(officer)
    workbook = download(client, movement, tree["long_bien"])
    sheet = workbook.worksheets[0]
    keys = rows_by_key(sheet)
    cells = {
        (keys[("004", "2025-Q1")], "D"): "=1+1",  # a real formula cell
        (keys[("004", "2025-Q2")], "D"): dt.date(2025, 1, 1),
        (keys[("004", "2025-Q3")], "D"): True,
        (keys[("004", "2025-Q4")], "D"): "1e400",
    }
    for (row, letter), value in cells.items():
        sheet[f"{letter}{row}"] = value
    with pytest.raises(offline.ImportFailed) as failure:
        import_reports(
            officer,
            movement=movement,
            unit=tree["long_bien"],
            rows_or_path=as_excel_saves_it(to_bytes(workbook)),
        )
    errors = {(e.row, e.column): e.message for e in failure.value.errors}
    assert set(errors) == set(cells)
    assert "“=”" in errors[(keys[("004", "2025-Q1")], "D")]
    assert failure.value.headers["D"] == offline.template_columns(movement)[3].label


def test_the_event_snapshot_written_by_copy_is_the_services_one():
    import json

    values = [(3, Decimal("12.50"), None), (7, Decimal("3.00"), Decimal("4.00"))]
    assert json.loads(_snapshot_json(values)) == _snapshot(values)


def test_offline_pages_of_a_movement_outside_scope_are_404(client, tree, movement):
    lb_admin = UserFactory(username="lb-admin", roles=[("administrator", tree["long_bien"])])
    local = services.create_movement(
        lb_admin,
        title="Long Biên xanh",
        owner_unit=tree["long_bien"],
        kind=Movement.Kind.THEMATIC,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        schedule=Movement.Schedule.YEARLY,
        indicators=[{"name": "Trees planted"}],
    )
    services.launch_movement(lb_admin, movement=local)
    job = ImportJob.objects.create(
        movement=local,
        unit=tree["bo_de"],
        file=SimpleUploadedFile("r.xlsx", b"x"),
        created_by=lb_admin,
    )
    tay_ho = UserFactory(username="th-officer", roles=[("officer", tree["tay_ho"])])
    client.force_login(tay_ho)
    for url, params in (
        (reverse("movements:offline_upload", args=[local.pk]), {}),
        (reverse("movements:offline_template", args=[local.pk]), {"unit": tree["tay_ho"].pk}),
        (reverse("movements:offline_job", args=[local.pk, job.pk]), {}),
    ):
        assert client.get(url, params).status_code == 404, url


def test_a_draft_movement_has_no_template_yet(client, tree, admin_user):
    draft = services.create_movement(
        admin_user,
        title="Chưa phát động",
        owner_unit=tree["city"],
        kind=Movement.Kind.PERIODIC,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        schedule=Movement.Schedule.QUARTERLY,
        indicators=[{"name": "Households reached"}],
    )
    client.force_login(admin_user)  # a draft is seen only by its launching unit's staff
    url = reverse("movements:offline_template", args=[draft.pk])
    response = client.get(url, {"unit": tree["long_bien"].pk})
    assert response.status_code == 302  # back to the page, which says why
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="upload-form"' not in page


def test_the_upload_page_lists_recent_uploads_in_constant_queries(client, tree, officer, movement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_jobs(count):
        for _ in range(count):
            ImportJob.objects.create(
                movement=movement,
                unit=tree["long_bien"],
                file=SimpleUploadedFile("r.xlsx", b"x"),
                created_by=officer,
            )

    client.force_login(officer)
    url = reverse("movements:offline_upload", args=[movement.pk])
    client.get(url)  # the user's grants and two-factor step, kept from now on
    counts = []
    for count in (1, 2):  # 1 upload, then 3
        add_jobs(count)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert page.count("/offline/jobs/") == sum((1, 2)[: len(counts) + 1])
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_only_the_first_errors_are_kept_with_how_many_more(
    client, tree, officer, movement, monkeypatch, django_capture_on_commit_callbacks
):
    from thidua.movements import tasks

    monkeypatch.setattr(tasks, "MAX_STORED_ERRORS", 2)
    client.force_login(officer)
    workbook = download(client, movement, tree["long_bien"])
    sheet = workbook.worksheets[0]
    for row in range(2, 7):
        sheet[f"D{row}"] = "x"
    job, page = upload_and_follow(
        client, movement, tree["long_bien"], to_bytes(workbook), django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[:2] == [
        {
            "row": 2,
            "column": "D",
            "header": offline.template_columns(movement)[3].label,
            "message": job.errors[0]["message"],
        },
        {
            "row": 3,
            "column": "D",
            "header": offline.template_columns(movement)[3].label,
            "message": job.errors[1]["message"],
        },
    ]
    assert job.errors[2] == {"more": 3}
    assert page.count("<tr><td>") == 2


def test_an_unexpected_error_fails_the_job_instead_of_leaving_it_running(
    tree, officer, movement, monkeypatch
):
    from thidua.movements import tasks

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(tasks, "import_reports", broken)
    job = ImportJob.objects.create(
        movement=movement,
        unit=tree["long_bien"],
        file=SimpleUploadedFile("r.xlsx", b"x"),
        created_by=officer,
    )
    # Whether the backend re-raises or records the error, the job must say it failed.
    with contextlib.suppress(RuntimeError):
        run_import.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert error_cells(job) == {(0, "")}
    assert not Report.objects.exists()
