"""Names and titles without bidirectional controls or zero-width characters, in NFC."""

import datetime as dt
import unicodedata

import pytest

from tests.factories import UserFactory
from thidua.core.text import clean_name
from thidua.org import services
from thidua.org.models import Unit, UnitKind
from thidua.org.services.imports import import_units

RLO, PDF, ZWSP, ZWJ, LRI, PDI = "\u202e", "\u202c", "\u200b", "\u200d", "\u2066", "\u2069"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (f"{RLO}aoH ihT nềyugN{PDF}", "aoH ihT nềyugN"),
        (f"Nguyễn{ZWSP} Thị{ZWJ} Hoa", "Nguyễn Thị Hoa"),
        (f"{LRI}Phường Bồ Đề{PDI}", "Phường Bồ Đề"),
        ("\u200eTổ\u200f 1\u061c", "Tổ 1"),
        ("\u2060Lê\ufeff  Văn\tNam\u00ad ", "Lê Văn Nam"),
        (unicodedata.normalize("NFD", "Nguyễn Thị Hoa"), "Nguyễn Thị Hoa"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_name(raw, clean):
    result = clean_name(raw)
    assert result == clean and unicodedata.is_normalized("NFC", result)


@pytest.mark.django_db
def test_unit_names_are_cleaned_by_the_service_and_the_import(tree):
    root = UserFactory(username="root", is_superuser=True)
    ward = UnitKind.objects.get(code="residential_area")
    unit = services.create_unit(
        root,
        code="00127-X",
        name=f"{RLO}Tổ{ZWSP} dân phố 9",
        kind=ward,
        parent=tree["bo_de"],
        valid_from=dt.date(2026, 1, 1),
    )
    assert unit.name == "Tổ dân phố 9"
    rows = [
        {
            "code": "00127-Y",
            "name": unicodedata.normalize("NFD", f"Tổ dân phố{ZWJ} 10"),
            "kind": "residential_area",
            "parent_code": "00127",
            "valid_from": "2026-01-01",
        }
    ]
    import_units(root, rows=rows)
    assert Unit.objects.get(code="00127-Y").name == "Tổ dân phố 10"


@pytest.mark.django_db
def test_user_names_are_cleaned():
    user = UserFactory(username="hoa", full_name=f"Nguyễn Thị{ZWSP} Hoa{RLO}")
    user.refresh_from_db()
    assert user.full_name == "Nguyễn Thị Hoa"
