"""Tests for thidua.org.vietnam_data (plain pytest, no Django).

Expected figures are derived from the packages' own data files wherever possible (read here
directly, independently of the module under test) and, for the headline numbers, also pinned to
the values carried by vietnamadminunits 1.0.4 / vietnam-provinces 2025.10.1.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from thidua.org import vietnam_data as vd

HANOI = "01"


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@pytest.fixture(scope="module")
def vam_db() -> sqlite3.Connection:
    path = (_package_data("vietnamadminunits") / "dataset.db").resolve()
    conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def vp_data() -> list[dict]:
    path = _package_data("vietnam_provinces") / "nested-divisions.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def legacy() -> list[vd.LegacyUnit]:
    return vd.legacy_units()


@pytest.fixture(scope="module")
def current() -> list[vd.CurrentUnit]:
    return vd.current_units()


@pytest.fixture(scope="module")
def succ() -> list[vd.Succession]:
    return vd.successions()


def _scalar(conn: sqlite3.Connection, sql: str, *args: object) -> int:
    return conn.execute(sql, args).fetchone()[0]


def _levels(units) -> Counter:
    return Counter(u.level for u in units)


def _check_successions(successions, legacy_wards, current_ward_codes) -> None:
    by_ward: dict[str, list[vd.Succession]] = defaultdict(list)
    for s in successions:
        by_ward[s.legacy_ward_code].append(s)
    assert set(by_ward) == {u.code for u in legacy_wards}
    for code, items in by_ward.items():
        assert items, code
        assert math.isclose(sum(s.share for s in items), 1.0, abs_tol=1e-9), code
        assert sum(s.is_default for s in items) == 1, code
        assert all(0.0 < s.share <= 1.0 for s in items), code
        assert len({s.current_ward_code for s in items}) == len(items), code
        assert all(s.current_ward_code in current_ward_codes for s in items), code


# ---- loading -----------------------------------------------------------------------------------


def test_whole_country_is_read_once_per_process() -> None:
    # Speed is measured in benchmarks/; here: the packages are read once and then served cached.
    vd._load.cache_clear()
    vd.legacy_units()
    vd.current_units()
    vd.successions()
    info = vd._load.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_returned_lists_are_copies_and_units_frozen() -> None:
    units = vd.legacy_units(HANOI)
    units.clear()
    assert vd.legacy_units(HANOI)
    with pytest.raises(AttributeError):
        vd.legacy_units(HANOI)[0].name = "x"  # type: ignore[misc]


# ---- legacy ------------------------------------------------------------------------------------


def test_legacy_national_counts(vam_db, legacy) -> None:
    expected = {
        "province": _scalar(vam_db, "SELECT COUNT(DISTINCT provinceCode) FROM admin_units_legacy"),
        "district": _scalar(vam_db, "SELECT COUNT(DISTINCT districtCode) FROM admin_units_legacy"),
        "ward": _scalar(
            vam_db,
            "SELECT COUNT(DISTINCT wardCode) FROM admin_units_legacy WHERE wardCode IS NOT NULL",
        ),
    }
    counts = _levels(legacy)
    print("legacy national:", dict(counts))
    assert counts == expected
    assert counts == {"province": 63, "district": 696, "ward": 10035}


def test_legacy_hanoi_counts(vam_db) -> None:
    units = vd.legacy_units(HANOI)
    counts = _levels(units)
    districts = [u for u in units if u.level == "district"]
    wards = [u for u in units if u.level == "ward"]
    assert counts["province"] == 1
    assert counts["district"] == _scalar(
        vam_db,
        "SELECT COUNT(DISTINCT districtCode) FROM admin_units_legacy WHERE provinceCode = ?",
        HANOI,
    )
    assert counts["ward"] == _scalar(
        vam_db, "SELECT COUNT(wardCode) FROM admin_units_legacy WHERE provinceCode = ?", HANOI
    )
    assert len(districts) == 30
    assert len(wards) == 526
    assert Counter(d.kind_label for d in districts) == {"Huyện": 17, "Quận": 12, "Thị xã": 1}
    assert units[0].name == "Thành phố Hà Nội"
    assert units[0].kind_label == "Thành phố Trung ương"

    per_district = Counter(w.parent_code for w in wards)
    by_name = {d.name: d for d in districts}
    for name, pinned in (("Quận Long Biên", 13), ("Quận Tây Hồ", 8)):
        district = by_name[name]
        expected = _scalar(
            vam_db,
            "SELECT COUNT(wardCode) FROM admin_units_legacy WHERE districtCode = ?",
            district.code,
        )
        print(f"{name} ({district.code}): {per_district[district.code]} wards")
        assert per_district[district.code] == expected == pinned
        assert {w.kind_label for w in wards if w.parent_code == district.code} == {"Phường"}


def test_legacy_order_parents_before_children(legacy) -> None:
    for units in (legacy, vd.legacy_units(HANOI), vd.legacy_units("79")):
        rank = {"province": 0, "district": 1, "ward": 2}
        assert [rank[u.level] for u in units] == sorted(rank[u.level] for u in units)
        seen: set[str] = set()
        for unit in units:
            assert unit.parent_code is None or unit.parent_code in seen
            seen.add(unit.code)


def test_legacy_fields(legacy) -> None:
    for unit in legacy:
        width = {"province": 2, "district": 3, "ward": 5}[unit.level]
        assert len(unit.code) == width and unit.code.isdigit()
        assert unit.area_km2 is None and unit.population is None
        assert unit.name.startswith(unit.kind_label.replace(" Trung ương", "") + " ")
    assert {u.kind_label for u in legacy if u.level == "ward"} == {"Phường", "Xã", "Thị trấn"}
    assert {u.kind_label for u in legacy if u.level == "district"} == {
        "Quận",
        "Huyện",
        "Thị xã",
        "Thành phố",
    }
    located = [u for u in legacy if u.latitude is not None and u.longitude is not None]
    assert len(located) == len(legacy)
    assert all(8 < u.latitude < 24 and 102 < u.longitude < 118 for u in located)


def test_legacy_filter_partitions_country(legacy) -> None:
    provinces = [u.code for u in legacy if u.level == "province"]
    total = sum(len(vd.legacy_units(code)) for code in provinces)
    assert total == len(legacy)


# ---- current -----------------------------------------------------------------------------------


def test_current_national_counts(vp_data, current) -> None:
    counts = _levels(current)
    print("current national:", dict(counts))
    assert counts == {"province": len(vp_data), "ward": sum(len(p["wards"]) for p in vp_data)}
    assert counts == {"province": 34, "ward": 3321}
    expected_kinds = Counter(
        w["division_type"][:1].upper() + w["division_type"][1:] for p in vp_data for w in p["wards"]
    )
    assert Counter(u.kind_label for u in current if u.level == "ward") == expected_kinds
    assert expected_kinds == {"Phường": 687, "Xã": 2621, "Đặc khu": 13}


def test_current_hanoi_counts(vp_data) -> None:
    units = vd.current_units(HANOI)
    wards = [u for u in units if u.level == "ward"]
    hanoi = next(p for p in vp_data if p["code"] == 1)
    assert len(wards) == len(hanoi["wards"]) == 126
    kinds = Counter(u.kind_label for u in wards)
    print("current Hà Nội:", dict(kinds))
    assert kinds == {"Phường": 51, "Xã": 75}
    assert units[0].level == "province" and units[0].name == "Thành phố Hà Nội"
    assert all(w.parent_code == HANOI for w in wards)


def test_current_units_are_vietnam_provinces_units(vp_data, current) -> None:
    expected = {
        f"{w['code']:05d}": " ".join(w["name"].split()) for p in vp_data for w in p["wards"]
    }
    wards = {u.code: u.name for u in current if u.level == "ward"}
    assert wards == expected
    provinces = {u.code for u in current if u.level == "province"}
    assert provinces == {f"{p['code']:02d}" for p in vp_data}
    assert [u.level for u in current[:34]] == ["province"] * 34


def test_current_fields(current) -> None:
    for unit in current:
        width = {"province": 2, "ward": 5}[unit.level]
        assert len(unit.code) == width and unit.code.isdigit()
        assert unit.population is None
        assert unit.latitude is not None and unit.longitude is not None
    wards = [u for u in current if u.level == "ward"]
    with_area = [u for u in wards if u.area_km2 is not None]
    assert len(with_area) >= len(wards) - 10
    assert all(u.area_km2 > 0 for u in with_area)
    assert all(u.area_km2 is None for u in current if u.level == "province")


def test_code_spaces_overlap_and_are_documented(legacy, current) -> None:
    legacy_wards = {u.code: u.name for u in legacy if u.level == "ward"}
    current_wards = {u.code: u.name for u in current if u.level == "ward"}
    assert legacy_wards["00004"] == "Phường Trúc Bạch"
    assert current_wards["00004"] == "Phường Ba Đình"
    assert len(set(legacy_wards) & set(current_wards)) > 3000  # callers must prefix codes


# ---- successions -------------------------------------------------------------------------------


def test_successions_whole_country(legacy, current, succ) -> None:
    wards = [u for u in legacy if u.level == "ward"]
    current_codes = {u.code for u in current if u.level == "ward"}
    _check_successions(succ, wards, current_codes)
    split = Counter(s.legacy_ward_code for s in succ)
    print(f"successions: {len(succ)}; split legacy wards: {sum(n > 1 for n in split.values())}")


def test_successions_hanoi() -> None:
    wards = [u for u in vd.legacy_units(HANOI) if u.level == "ward"]
    current_codes = {u.code for u in vd.current_units(HANOI) if u.level == "ward"}
    items = vd.successions(HANOI)
    _check_successions(items, wards, current_codes)
    assert {s.current_ward_code for s in items} == current_codes  # Hà Nội merged with nobody


def test_successions_per_province_partition(succ) -> None:
    provinces = [u.code for u in vd.legacy_units() if u.level == "province"]
    parts = [s for code in provinces for s in vd.successions(code)]
    assert sorted(parts, key=repr) == sorted(succ, key=repr)


def test_successors_lie_in_successor_province(current, succ) -> None:
    ward_province = {u.code: u.parent_code for u in current if u.level == "ward"}
    legacy = {u.code: u for u in vd.legacy_units()}
    for s in succ:
        district = legacy[legacy[s.legacy_ward_code].parent_code]
        expected = vd.legacy_province_successor(district.parent_code)
        assert ward_province[s.current_ward_code] == expected


def test_split_shares_follow_successor_areas(current, succ) -> None:
    area = {u.code: u.area_km2 for u in current}
    by_ward: dict[str, list[vd.Succession]] = defaultdict(list)
    for s in succ:
        by_ward[s.legacy_ward_code].append(s)
    splits = [items for items in by_ward.values() if len(items) > 1]
    assert splits
    for items in splits:
        areas = [area[s.current_ward_code] for s in items]
        if any(a is None for a in areas):
            assert all(math.isclose(s.share, 1 / len(items)) for s in items)
            continue
        total = sum(areas)
        for s, a in zip(items, areas, strict=True):
            assert math.isclose(s.share, a / total, rel_tol=1e-9)


def test_split_default_is_the_converter_default() -> None:
    conv = json.loads(
        (_package_data("vietnamadminunits") / "converter_2025.json").read_text(encoding="utf-8")
    )
    split_keys = {k for table in conv["DICT_PROVINCE_WARD_DIVIDED"].values() for k in table}
    assert len(split_keys) == 471
    # 31379 Xã Phú Tân (Hậu Giang): the converter's default is the successor of the homonymous
    # Sóc Trăng ward; after the homonym correction it maps wholly to Xã Phú Hữu (31378).
    items = [s for s in vd.successions("93") if s.legacy_ward_code == "31379"]
    assert items == [vd.Succession("31379", "31378", 1.0, True)]
    issues = vd.data_issues("93")
    assert any(i.startswith("[homonym-split]") and "31379" in i for i in issues)


def test_wardless_districts(vam_db, current) -> None:
    expected = {
        row[0]
        for row in vam_db.execute(
            "SELECT DISTINCT districtCode FROM admin_units_legacy WHERE wardCode IS NULL"
        )
    }
    mapping = vd.legacy_wardless_district_successors()
    assert set(mapping) == expected and len(expected) == 5
    kinds = {u.code: u.kind_label for u in current}
    assert {kinds[c] for c in mapping.values()} == {"Đặc khu"}
    assert vd.legacy_wardless_district_successors("31") == {"318": mapping["318"]}


# ---- provinces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["hanoi", "Hà Nội", "ha noi", "01", "1", "HA NOI", "Thành phố Hà Nội"]
)
def test_resolve_province_hanoi(query: str) -> None:
    assert vd.resolve_province(query) == ("01", "01")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hà Giang", ("02", None)),
        ("Bắc Ninh", ("27", "24")),
        ("24", ("24", "24")),
        ("TP HCM", ("79", "79")),
        ("ho chi minh", ("79", "79")),
        ("Đắk Lắk", ("66", "66")),
        ("dak lak", ("66", "66")),
        ("Quảng Trị", ("45", "44")),
    ],
)
def test_resolve_province_other(query: str, expected: tuple[str | None, str | None]) -> None:
    assert vd.resolve_province(query) == expected


@pytest.mark.parametrize("query", ["atlantis", "99", "", "Hà Nội Mới"])
def test_resolve_province_unknown(query: str) -> None:
    with pytest.raises(ValueError):
        vd.resolve_province(query)


def test_resolve_province_every_name(legacy, current) -> None:
    for unit in legacy:
        if unit.level == "province":
            assert vd.resolve_province(unit.name)[0] == unit.code
            assert vd.resolve_province(unit.code)[0] == unit.code
    for unit in current:
        if unit.level == "province":
            assert vd.resolve_province(unit.name)[1] == unit.code


def test_legacy_province_successor(vam_db) -> None:
    legacy_codes = [
        row[0] for row in vam_db.execute("SELECT DISTINCT provinceCode FROM admin_units_legacy")
    ]
    successors = {code: vd.legacy_province_successor(code) for code in legacy_codes}
    current_codes = {u.code for u in vd.current_units() if u.level == "province"}
    assert set(successors.values()) == current_codes
    assert successors["01"] == "01"
    assert successors["02"] == successors["08"] == "08"  # Hà Giang + Tuyên Quang
    assert successors["27"] == successors["24"] == "24"  # Bắc Ninh + Bắc Giang
    assert Counter(successors.values())["92"] == 3  # Cần Thơ + Hậu Giang + Sóc Trăng
    with pytest.raises(ValueError):
        vd.legacy_province_successor("99")


def test_unknown_province_filters_raise() -> None:
    with pytest.raises(ValueError):
        vd.legacy_units("99")
    with pytest.raises(ValueError):
        vd.current_units("02")  # legacy-only code
    with pytest.raises(ValueError):
        vd.successions("Hà Nội")  # names must go through resolve_province
    with pytest.raises(ValueError):
        vd.data_issues("99")


# ---- data issues -------------------------------------------------------------------------------


def test_data_issues(vam_db, vp_data) -> None:
    issues = vd.data_issues()
    categories = Counter(i[1 : i.index("]")] for i in issues)
    print(f"{len(issues)} data issues:", dict(categories))
    assert all(i.startswith("[") for i in issues)
    vp_codes = {f"{w['code']:05d}" for p in vp_data for w in p["wards"]}
    vam_codes = {row[0] for row in vam_db.execute("SELECT wardCode FROM admin_units")}
    # Every vietnamadminunits-only code is reported (as the code of a re-coded ward).
    assert categories["code-mismatch"] >= len(vam_codes - vp_codes) > 0
    for code in vam_codes - vp_codes:
        assert any(i.startswith("[code-mismatch]") and f"code {code};" in i for i in issues)
    assert categories["wardless-district"] == 5
    assert categories["province-name"] == 28
    assert not {"unmapped", "default-chosen", "cross-province", "current-unmatched"} & set(
        categories
    )
    hanoi = vd.data_issues(HANOI)
    assert hanoi and set(hanoi) <= set(issues)
    assert any("Phường Văn Miếu - Quốc Tử Giám" in i for i in hanoi)
