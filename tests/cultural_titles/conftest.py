"""A ward with two residential groups and their households, and the people who work on them."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import UserFactory, ensure_kinds, grant, make_unit
from thidua.cultural_titles import services
from thidua.org.services.households import import_households

YEAR = 2026
MEETING = dt.date(YEAR, 11, 3)


@pytest.fixture
def ward(db):
    from thidua.honors.catalogue import ensure_catalogue

    ensure_kinds()  # after a transactional test flushed them, the catalogue needs them first
    ensure_catalogue()
    city = make_unit("Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    a = make_unit("Tổ dân phố 1", parent=ward, code="00127-01", kind_code="residential_area")
    b = make_unit("Tổ dân phố 2", parent=ward, code="00127-02", kind_code="residential_area")
    return {"city": city, "ward": ward, "a": a, "b": b}


@pytest.fixture
def committee(ward):
    user = UserFactory(username="to1-truongban", full_name="Lê Văn Tổ")
    grant(user, "officer", ward["a"])
    return user


@pytest.fixture
def chairman(ward):
    user = UserFactory(username="chutich", full_name="Phạm Minh Đức")
    grant(user, "leader", ward["ward"])
    return user


@pytest.fixture
def outsider(ward):
    other = make_unit("Phường Phúc Lợi", parent=ward["city"], code="00118", kind_code="ward")
    user = UserFactory(username="phucloi-officer")
    grant(user, "officer", other)
    return user


NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]


def register_rows(ward, count=5, area="a"):
    code = ward[area].code
    return [
        {
            "Mã hộ": f"H{area.upper()}{i:03d}",
            "Mã tổ dân phố": code,
            "Chủ hộ": f"{NAMES[i % len(NAMES)]} {i}",
            "Địa chỉ": f"Số {i} ngõ 12",
            "Số nhân khẩu": "4",
        }
        for i in range(1, count + 1)
    ]


@pytest.fixture
def households(ward, chairman):
    import_households(
        chairman,
        commune=ward["ward"],
        rows=register_rows(ward, 5, "a") + register_rows(ward, 3, "b"),
        effective_on=dt.date(YEAR, 1, 1),
    )


@pytest.fixture
def round_(ward, chairman, households):
    return services.open_round(chairman, commune=ward["ward"], year=YEAR)


@pytest.fixture
def area_a(round_, ward):
    return round_.areas.get(area=ward["a"])


def filled(assessment, *, no_for=(), eligible_override=(), extra_rows=()):
    """The area's template filled in: everyone yes and eligible, except the codes given."""
    workbook = load_workbook(io.BytesIO(xlsx_bytes(services.template(assessment))))
    sheet = workbook.worksheets[0]
    width = sheet.max_column
    for row in sheet.iter_rows(min_row=2):
        code = row[1].value
        for cell in row[4 : width - 3]:
            cell.value = "k" if code in no_for else "x"
        row[width - 3].value = (
            "Đạt" if (code not in no_for or code in eligible_override) else "Không đạt"
        )
        row[width - 2].value = "" if code not in no_for else "Vi phạm quy định"
    for extra in extra_rows:
        sheet.append(extra)
    return xlsx_bytes(workbook)


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
