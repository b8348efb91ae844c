"""The dated regimes, the filter vocabulary, the derivations of the migrations, and the
supplementary table."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.reports.conftest import YEAR, record
from thidua.core.models import AuditEvent
from thidua.honors import services as honors
from thidua.honors.statistics import derived_stat_column
from thidua.movements.statistics import duration_band
from thidua.reports import selectors
from thidua.reports.engine import cell_key
from thidua.reports.filters import matches, validate
from thidua.reports.models import StatForm

pytestmark = pytest.mark.django_db


def test_the_regime_in_force_and_the_regimes_offered_by_year(regimes):
    assert selectors.regime_in_force(2024).code == "tt-02-2023"
    assert selectors.regime_in_force(2025).code == "tt-18-2025"  # a placeholder: no forms yet
    assert [r.code for r in selectors.regimes_offered(2025)] == ["tt-02-2023"]
    assert [r.code for r in selectors.regimes_offered(2024)] == ["tt-02-2023"]
    assert [r.code for r in selectors.regimes_offered(2020)] == ["tt-03-2018"]
    assert set(
        StatForm.objects.filter(regime__code="tt-03-2018").values_list("code", flat=True)
    ) == {
        "0701",
        "0702",
        "0703",
        "mttq-bs",
    }


def test_the_2018_form_0701_has_two_launch_columns_and_3_years_as_its_last_band(
    regimes, tree, staff, seven_movements
):
    form = StatForm.objects.get(regime__code="tt-03-2018", code="0701")
    assert [c["code"] for c in form.columns] == ["1", "2", "3"]
    cells = selectors.compute_form(tree["city"], "tt-03-2018", "0701", YEAR)
    assert cells[cell_key("01", "3")] == 7  # agencies count with the province then


def test_every_stored_filter_uses_the_vocabulary(regimes):
    for form in StatForm.objects.all():
        validate(form.source, form.base_filter)
        for item in [*form.rows, *form.columns]:
            validate(form.source, item["filter"])
    with pytest.raises(ValidationError):
        validate("honours", {"__class__": "x"})
    assert matches({"a": 1}, {"a": [1, 2]}) and not matches({"a": 3}, {"a": [1, 2]})


def test_the_derivations_of_the_data_migrations():
    assert derived_stat_column("Bằng khen") == "0603.bang_khen"
    assert derived_stat_column("Bằng khen của Thủ tướng Chính phủ") == "0602.bang_khen_ttcp"
    assert derived_stat_column("Huân chương Lao động hạng Ba") == "0602.huan_chuong"
    assert derived_stat_column("Cờ thi đua của Chính phủ") == "0602.co_thi_dua_cp"
    assert derived_stat_column("Cờ thi đua") == "0603.co_thi_dua"
    assert derived_stat_column("Giấy khen") == "none"
    assert derived_stat_column("Chiến sĩ thi đua cơ sở") == "none"
    assert duration_band(dt.date(2025, 3, 1), dt.date(2025, 8, 31)) == "under_1"
    assert duration_band(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == "one_year"
    assert duration_band(dt.date(2025, 1, 1), dt.date(2026, 12, 31)) == "1_3"
    assert duration_band(dt.date(2021, 1, 1), dt.date(2025, 12, 31)) == "5_plus"


def test_changing_a_position_band_moves_the_count_and_is_audited(
    regimes, tree, staff, ten_certificates
):
    honour = ten_certificates[9]
    honors.set_statistics_fields(staff["leader"], honour=honour, position_band="direct_worker")
    cells = selectors.compute_form(tree["city"], "tt-02-2023", "0603", YEAR)
    assert cells[cell_key("10", "2")] == 5
    honors.set_statistics_fields(staff["leader"], honour=honour, position_band="leader_other")
    cells = selectors.compute_form(tree["city"], "tt-02-2023", "0603", YEAR)
    assert cells[cell_key("10", "2")] == 4 and cells[cell_key("09", "2")] == 1
    event = AuditEvent.objects.filter(verb="honors.set_statistics").order_by("id").last()
    assert event.data["old"]["position_band"] == "direct_worker"
    assert event.data["new"]["position_band"] == "leader_other"


def test_the_supplementary_table_counts_women_direct_workers_and_levels(
    regimes, tree, staff, awards, ten_certificates
):
    record(
        staff["leader"],
        awards,
        tree["bo_de"],
        dt.date(2025, 3, 3),
        award="giay-khen",
        name="Trần Thị Mai",
        gender="female",
        age_band="30_45",
        is_ethnic_minority=True,
    )
    cells = selectors.compute_form(tree["city"], "tt-02-2023", "mttq-bs", YEAR)
    assert cells[cell_key("01", "1")] == 11
    assert cells[cell_key("01", "3")] == 10  # certificates of merit: province level
    assert cells[cell_key("01", "4")] == 1  # a letter of commendation: another level
    assert cells[cell_key("05", "1")] == 5  # women: 4 certificates and the letter
    assert cells[cell_key("08", "1")] == 1 and cells[cell_key("10", "4")] == 1
    assert cells[cell_key("14", "1")] == 4
