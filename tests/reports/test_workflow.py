"""Sign-off of a report: checks block it, adjustments carry a reason, a submitted report keeps
its frozen numbers (and tells of later revocations), every cell drills down to its records, the
XLSX reopens with the figures."""

import datetime as dt
import hashlib
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from tests.reports.conftest import YEAR, record
from thidua.core.models import AuditEvent
from thidua.honors import services as honors
from thidua.reports import selectors, services
from thidua.reports.engine import cell_key
from thidua.reports.exports import FIRST_DATA_ROW, build_workbook
from thidua.reports.models import StatReport

pytestmark = pytest.mark.django_db


def _through_to_submitted(report, staff):
    services.check_report(staff["officer"], report=report)
    services.sign_report(staff["leader"], report=report)
    return services.submit_report(staff["officer"], report=report)


def test_a_revoked_honour_drops_out_of_new_reports_and_a_submitted_one_keeps_its_numbers(
    tree, staff, ten_certificates, city_reports
):
    report = _through_to_submitted(city_reports["0603"], staff)
    assert report.state == StatReport.State.SUBMITTED
    honors.revoke_honour(staff["leader"], honour=ten_certificates[0], reason="Sai thành tích")
    report.refresh_from_db()
    assert selectors.sheet(report).value("05", "2") == 10  # frozen
    assert selectors.later_revocations(report) == 1
    fresh = selectors.compute_form(tree["city"], "tt-02-2023", "0603", YEAR)
    assert fresh[cell_key("05", "2")] == 9


def test_the_report_page_shows_the_later_revocations_notice(
    client, tree, staff, ten_certificates, city_reports
):
    report = _through_to_submitted(city_reports["0603"], staff)
    honors.revoke_honour(staff["leader"], honour=ten_certificates[3], reason="Thu hồi")
    client.force_login(staff["officer"])
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'data-testid="later-revocations"' in page
    assert "1" in page.split('data-testid="later-revocations"')[1].split("</p>")[0]
    assert client.get(f"/api/v1/reports/{report.pk}").json()["later_revocations"] == 1


def test_submitting_freezes_an_xlsx_and_a_pdf_with_their_hashes(
    staff, ten_certificates, city_reports
):
    report = _through_to_submitted(city_reports["0603"], staff)
    xlsx = report.xlsx.read()
    assert hashlib.sha256(xlsx).hexdigest() == report.xlsx_hash
    report.pdf.open()
    pdf = report.pdf.read()
    assert hashlib.sha256(pdf).hexdigest() == report.pdf_hash
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "0603.N/BNV-TĐKT" in text
    assert AuditEvent.objects.filter(verb="reports.submit").count() == 1


def test_a_second_submitted_report_supersedes_the_first(staff, ten_certificates, city_reports):
    first = _through_to_submitted(city_reports["0603"], staff)
    (again,) = services.create_reports(
        staff["officer"],
        unit=first.unit,
        year=YEAR,
        regime=first.form.regime,
        forms=[first.form],
    )
    _through_to_submitted(again, staff)
    first.refresh_from_db()
    assert first.state == StatReport.State.SUPERSEDED and first.superseded_by == again


def test_one_open_report_per_form_unit_and_year(staff, city_reports):
    report = city_reports["0601"]
    with pytest.raises(ValidationError):
        services.create_reports(
            staff["officer"], unit=report.unit, year=YEAR, regime=report.form.regime
        )


def test_a_failing_check_blocks_the_check_step_and_writes_nothing(
    staff, ten_certificates, city_reports
):
    report = city_reports["0603"]
    services.add_adjustment(
        staff["officer"], report=report, row_code="10", column_code="2", delta=20, reason="Thử"
    )
    assert not selectors.sheet(report).passes
    with pytest.raises(ValidationError):
        services.check_report(staff["officer"], report=report)
    report.refresh_from_db()
    assert report.state == StatReport.State.DRAFT


def test_an_adjustment_needs_a_reason_and_a_draft_and_shows_computed_plus_adjustment(
    staff, ten_certificates, city_reports
):
    report = city_reports["0603"]
    with pytest.raises(ValidationError):
        services.add_adjustment(
            staff["officer"], report=report, row_code="05", column_code="2", delta=1, reason=" "
        )
    assert not report.adjustments.exists()
    for row_code in ("01", "05", "11"):
        for column_code in ("1", "2"):
            services.add_adjustment(
                staff["officer"],
                report=report,
                row_code=row_code,
                column_code=column_code,
                delta=1,
                reason="Bằng khen trao ngày 28/11 chưa nhập sổ",
            )
    sheet = selectors.sheet(report)
    assert sheet.value("05", "2") == 11 and sheet.passes
    services.check_report(staff["officer"], report=report)
    with pytest.raises(ValidationError):
        services.add_adjustment(
            staff["officer"], report=report, row_code="05", column_code="2", delta=1, reason="x"
        )


def test_only_a_leader_signs(staff, city_reports):
    report = city_reports["0601"]
    services.check_report(staff["officer"], report=report)
    with pytest.raises(PermissionDenied):
        services.sign_report(staff["officer"], report=report)
    with pytest.raises(PermissionDenied):
        services.check_report(staff["ward_officer"], report=report)
    services.sign_report(staff["leader"], report=report)
    assert report.state == StatReport.State.SIGNED


def test_a_return_to_draft_needs_a_reason(staff, city_reports):
    report = city_reports["0601"]
    services.check_report(staff["officer"], report=report)
    with pytest.raises(ValidationError):
        services.reopen_report(staff["officer"], report=report, reason="")
    services.reopen_report(staff["officer"], report=report, reason="Thiếu phong trào của xã")
    assert report.state == StatReport.State.DRAFT


def test_every_non_zero_cell_drills_down_to_as_many_records(
    client, tree, staff, seven_movements, ten_certificates, awards, city_reports
):
    record(
        staff["leader"],
        awards,
        tree["city"],
        dt.date(2025, 2, 1),
        award="co-thi-dua",
        recipient_kind="collective",
        name="Ủy ban MTTQ phường",
        is_enterprise=False,
    )
    client.force_login(staff["officer"])
    checked = 0
    for report in city_reports.values():
        services.recompute_report(staff["officer"], report=report)
        for key, value in report.computed.items():
            assert value > 0
            row, column = key.split("|")
            assert selectors.cell_records(report, row, column).count() == value
            page = client.get(f"/reports/{report.pk}/cells/{row}/{column}/")
            assert page.status_code == 200
            count = page.content.decode().split('data-testid="cell-count">')[1].split("<")[0]
            assert int(count.replace(".", "")) == value
            api = client.get(f"/api/v1/reports/{report.pk}/cells/{row}/{column}").json()
            assert api["count"] == value
            checked += 1
    assert checked > 40


def test_the_xlsx_reopens_with_the_expected_values(tree, staff, seven_movements, city_reports):
    report = city_reports["0601"]
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A1"].value == "Biểu số: 0601.N/BNV-TĐKT"
    values = {}
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=6):
        code = row[1].value
        if code:
            values[code] = [cell.value for cell in row[2:6]]
    assert values["01"] == [7, 0, 3, 4]
    assert values["04"] == [1, 0, 1, 0]
    assert values["06"][0] == 5 and values["07"][0] == 1 and values["08"][0] == 1
    assert values["11"][0] == 6 and values["12"][0] == 1
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "D8:F8" in merged  # "Chia theo cấp phát động" over columns 2–4
    assert "C8:C9" in merged  # "Tổng số" over both header rows
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "NGƯỜI LẬP BIỂU" in texts and "THỦ TRƯỞNG ĐƠN VỊ" in texts
