"""The forms computed from the registries (the done-when figures of issue #19 part 8)."""

import datetime as dt

import pytest

from tests.reports.conftest import END, START, YEAR, record
from thidua.reports import selectors
from thidua.reports.engine import cell_key
from thidua.reports.models import StatRegime
from thidua.reports.services import create_reports

pytestmark = pytest.mark.django_db


def test_the_2025_period_runs_from_1_december_to_30_november(regimes):
    regime = StatRegime.objects.get(code="tt-02-2023")
    assert regime.period(YEAR) == (START, END)
    assert regime.due_on(YEAR) == dt.date(2025, 12, 15)


def test_0601_row_01_counts_the_seven_movements_and_row_04_the_cluster_one(
    regimes, tree, seven_movements
):
    cells = selectors.compute_form(tree["city"], "tt-02-2023", "0601", YEAR)
    assert cells[cell_key("01", "1")] == 7
    assert cells[cell_key("04", "1")] == 1
    # by scope: the city's two, the cluster's one, the wards' four
    assert cells[cell_key("03", "1")] == 2
    assert cells[cell_key("05", "1")] == 4
    # by launching level: the city (column 3) launched 3, the wards (column 4) 4
    assert cells[cell_key("01", "3")] == 3
    assert cells[cell_key("01", "4")] == 4
    assert cell_key("01", "2") not in cells


def test_0601_duration_rows_06_07_08_and_method_rows_11_12(regimes, tree, seven_movements):
    cells = selectors.compute_form(tree["city"], "tt-02-2023", "0601", YEAR)
    assert cells[cell_key("06", "1")] == 5  # the 4 ward drives and the 6-month city drive
    assert cells[cell_key("07", "1")] == 1  # the yearly city movement
    assert cells[cell_key("08", "1")] == 1  # the 2-year cluster movement
    assert cell_key("09", "1") not in cells and cell_key("10", "1") not in cells
    assert cells[cell_key("11", "1")] == 6  # thematic
    assert cells[cell_key("12", "1")] == 1  # regular, yearly


def test_0601_passes_every_check(regimes, tree, staff, seven_movements):
    report = next(
        r
        for r in create_reports(
            staff["officer"],
            unit=tree["city"],
            year=YEAR,
            regime=StatRegime.objects.get(code="tt-02-2023"),
        )
        if r.form.code == "0601"
    )
    checks = selectors.sheet(report).checks
    assert checks and all(check.passed for check in checks), checks


def test_a_ward_reports_only_its_own_subtree(regimes, tree, seven_movements):
    cells = selectors.compute_form(tree["quang_an"], "tt-02-2023", "0601", YEAR)
    assert cells == {
        cell_key("01", "1"): 1,
        cell_key("01", "4"): 1,
        cell_key("05", "1"): 1,
        cell_key("05", "4"): 1,
        cell_key("06", "1"): 1,
        cell_key("06", "4"): 1,
        cell_key("11", "1"): 1,
        cell_key("11", "4"): 1,
    }


def test_an_honour_on_30_november_counts_in_that_year_and_one_on_1_december_in_the_next(
    regimes, tree, staff, awards
):
    record(staff["leader"], awards, tree["bo_de"], dt.date(2025, 11, 30), name="Cuối kỳ")
    record(staff["leader"], awards, tree["bo_de"], dt.date(2025, 12, 1), name="Đầu kỳ sau")
    this_year = selectors.compute_form(tree["city"], "tt-02-2023", "0603", 2025)
    next_year = selectors.compute_form(tree["city"], "tt-02-2023", "0603", 2026)
    assert this_year[cell_key("01", "2")] == 1
    assert next_year[cell_key("01", "2")] == 1


def test_0603_ten_certificates_of_merit_give_row_05_ten_and_row_10_four_in_the_bang_khen_column(
    regimes, tree, ten_certificates
):
    cells = selectors.compute_form(tree["city"], "tt-02-2023", "0603", YEAR)
    assert cells[cell_key("05", "2")] == 10  # individuals
    assert cells[cell_key("10", "2")] == 4  # direct workers
    assert cells[cell_key("01", "1")] == 10
    assert cells[cell_key("11", "2")] == 10  # regular (for merit)


def test_0603_counts_an_award_by_its_form_column_whoever_conferred_it(regimes, tree, staff, awards):
    """An award type added later (an outside body's) counts by its name-derived column, or by
    the column set on it."""
    from thidua.honors.models import AwardType  # noqa: PLC0415

    flag = awards["co-thi-dua"]
    record(
        staff["leader"],
        awards,
        tree["city"],
        dt.date(2025, 6, 1),
        award="co-thi-dua",
        recipient_kind="collective",
        name="Ban Thường trực",
    )
    # an outside body's award (the higher-awards catalogue seeds it; made here if it did not)
    order, _created = AwardType.objects.get_or_create(
        code="huan-chuong-lao-dong-hang-ba",
        defaults={
            "name_vi": "Huân chương Lao động hạng Ba",
            "name_en": "Labour Order, third class",
            "name_id": "Bintang Buruh kelas tiga",
            "kind": "merit",
        },
    )
    record(staff["leader"], {"x": order}, tree["bo_de"], dt.date(2025, 7, 1), award="x")
    province = selectors.compute_form(tree["city"], "tt-02-2023", "0603", YEAR)
    state = selectors.compute_form(tree["city"], "tt-02-2023", "0602", YEAR)
    assert province[cell_key("02", "4")] == 1 and flag.name_vi.startswith("Cờ")
    assert state[cell_key("09", "2")] == 1  # an individual, in the orders' column
    assert state[cell_key("03", "2")] == 1  # submitted through the province
    assert cell_key("01", "1") not in province or province[cell_key("01", "1")] == 1
