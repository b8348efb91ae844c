import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.cultural_titles.conftest import YEAR, register_rows
from thidua.org.models import Household, HouseholdMove
from thidua.org.services.households import ImportFailed, column_label, id_digest, import_households


def test_import_writes_the_register_and_never_the_id_number(ward, chairman):
    rows = register_rows(ward, 3)
    rows[0]["Số định danh"] = "001234567890"
    result = import_households(chairman, commune=ward["ward"], rows=rows)
    assert result.created == 3
    household = Household.objects.get(code="HA001")
    assert household.unit == ward["a"] and household.members == 4
    assert household.id_number_digest == id_digest("001 234 567 890")
    assert not Household.objects.filter(id_number_digest__contains="001234567890").exists()
    assert "001234567890" not in str(household.__dict__)


def test_the_same_file_twice_changes_nothing(ward, chairman):
    rows = register_rows(ward, 4)
    import_households(chairman, commune=ward["ward"], rows=rows)
    before = list(Household.objects.values_list("pk", "code", "head_name", "unit_id"))
    again = import_households(chairman, commune=ward["ward"], rows=rows)
    assert again.changed == 0 and again.unchanged == 4
    assert list(Household.objects.values_list("pk", "code", "head_name", "unit_id")) == before
    assert not HouseholdMove.objects.exists()


def test_a_bad_file_writes_nothing_and_names_every_bad_row_and_column(ward, chairman):
    rows = register_rows(ward, 5)
    rows[1]["Mã tổ dân phố"] = "99999"
    rows[2]["Chủ hộ"] = ""
    rows[3]["Mã hộ"] = rows[0]["Mã hộ"]
    rows[4]["Số nhân khẩu"] = "nhiều"
    with pytest.raises(ImportFailed) as failure:
        import_households(chairman, commune=ward["ward"], rows=rows)
    found = {(e.row, e.column) for e in failure.value.errors}
    assert found == {
        (3, column_label("area")),
        (4, column_label("head")),
        (5, column_label("code")),
        (6, column_label("members")),
    }
    assert not Household.objects.exists()


def test_a_row_in_another_area_is_a_dated_move(ward, chairman):
    import_households(chairman, commune=ward["ward"], rows=register_rows(ward, 2))
    rows = register_rows(ward, 2)
    rows[0]["Mã tổ dân phố"] = ward["b"].code
    rows[0]["Ngày chuyển đến"] = f"15/03/{YEAR}"
    result = import_households(chairman, commune=ward["ward"], rows=rows)
    assert result.moved == 1 and result.unchanged == 1
    move = HouseholdMove.objects.get()
    assert (move.from_unit, move.to_unit, move.moved_on) == (
        ward["a"],
        ward["b"],
        dt.date(YEAR, 3, 15),
    )
    assert import_households(chairman, commune=ward["ward"], rows=rows).changed == 0


def test_an_officer_of_another_ward_may_not_import(ward, outsider):
    with pytest.raises(PermissionDenied):
        import_households(outsider, commune=ward["ward"], rows=register_rows(ward, 1))
    assert not Household.objects.exists()
