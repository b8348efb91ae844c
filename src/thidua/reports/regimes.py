"""The dated statistical regimes and their forms, as data (seeded by migration 0002; official
texts prevail, and administrators may correct the stored copies).

- TT 03/2018/TT-BNV (from 20/4/2018): forms 0701.N–0703.N; 0701 has only the central and the
  ministry/province columns and "3 years and more" as its last duration row.
- TT 02/2023/TT-BNV (in force 10/5/2023): forms 0601.N, 0602.N, 0603.N (layout after the forms
  as implemented in production by a vendor: rows and columns below).
- TT 18/2025/TT-BNV (issued 8/10/2025): a placeholder with no forms until its appendix is known.

Every form's rows and columns carry a filter over the registry's records (see `filters.py`) and
the arithmetic checks the form encodes: "sum" (the total equals the sum of its splits),
"of_which" (each part at most its parent) and "at_most" (the parts together at most the parent).
The Front's supplementary table is not statutory but is computed by the same engine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

PERIOD = {"start_month": 12, "start_day": 1, "end_month": 11, "end_day": 30}


def label(vi: str, en: str, id_: str) -> dict[str, str]:
    return {"vi": vi, "en": en, "id": id_}


def row(code: str, text: dict[str, str], filter_: dict[str, Any] | None = None, level: int = 1):
    return {"code": code, "label": text, "filter": filter_ or {}, "level": level}


def heading(text: dict[str, str]):
    return {"code": "", "label": text, "filter": {}, "heading": True, "level": 0}


def column(code: str, text: dict[str, str], filter_: dict[str, Any] | None = None, group=None):
    return {"code": code, "label": text, "filter": filter_ or {}, "group": group}


TOTAL = label("Tổng số", "Total", "Jumlah")

# --- form 0601 / 0701: movements -------------------------------------------------------------

BY_LAUNCH_LEVEL = label(
    "Chia theo cấp phát động", "By the level that launched it", "Menurut tingkat peluncur"
)


def movement_rows(*, old: bool) -> tuple[list[dict], list[dict]]:
    rows = [
        row("01", TOTAL, level=0),
        heading(label("1. Chia theo phạm vi", "1. By scope", "1. Menurut cakupan")),
        row("02", label("Toàn quốc", "Nationwide", "Nasional"), {"scope": "national"}),
        row(
            "03",
            label(
                "Bộ, ban, ngành, đoàn thể Trung ương, địa phương",
                "Ministry, central mass organisation, locality",
                "Kementerian, organisasi massa pusat, daerah",
            ),
            {"scope": "ministry_locality"},
        ),
        row(
            "04",
            label(
                "Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức",
                "Emulation clusters and blocks organised by the emulation councils",
                "Klaster dan blok emulasi yang diselenggarakan dewan emulasi",
            ),
            {"scope": "cluster"},
        ),
        row(
            "05",
            label("Cơ quan, đơn vị", "Agency or unit", "Instansi atau unit"),
            {"scope": "agency"},
        ),
        heading(label("2. Chia theo thời gian", "2. By duration", "2. Menurut durasi")),
        row(
            "06",
            label("Dưới 1 năm", "Under 1 year", "Kurang dari 1 tahun"),
            {"duration": "under_1"},
        ),
        row("07", label("1 năm", "1 year", "1 tahun"), {"duration": "one_year"}),
    ]
    if old:
        rows += [
            row(
                "08",
                label(
                    "Từ 1 năm đến dưới 3 năm",
                    "From 1 to under 3 years",
                    "1 sampai kurang dari 3 tahun",
                ),
                {"duration": "1_3"},
            ),
            row(
                "09",
                label("Từ 3 năm trở lên", "3 years and more", "3 tahun atau lebih"),
                {"duration": ["3_5", "5_plus"]},
            ),
        ]
        method_codes = ("10", "11")
        duration_codes = ["06", "07", "08", "09"]
    else:
        rows += [
            row(
                "08",
                label(
                    "Từ 1 năm đến dưới 3 năm",
                    "From 1 to under 3 years",
                    "1 sampai kurang dari 3 tahun",
                ),
                {"duration": "1_3"},
            ),
            row(
                "09",
                label(
                    "Từ 3 năm đến dưới 5 năm",
                    "From 3 to under 5 years",
                    "3 sampai kurang dari 5 tahun",
                ),
                {"duration": "3_5"},
            ),
            row(
                "10",
                label("Từ 5 năm trở lên", "5 years and more", "5 tahun atau lebih"),
                {"duration": "5_plus"},
            ),
        ]
        method_codes = ("11", "12")
        duration_codes = ["06", "07", "08", "09", "10"]
    rows += [
        heading(label("3. Chia theo hình thức", "3. By method", "3. Menurut metode")),
        row(method_codes[0], label("Chuyên đề", "Thematic", "Tematik"), {"method": "thematic"}),
        row(
            method_codes[1],
            label("Thường xuyên hằng năm", "Regular, yearly", "Rutin tahunan"),
            {"method": "regular"},
        ),
    ]
    checks = [
        {"kind": "sum", "total": "01", "parts": ["02", "03", "04", "05"]},
        {"kind": "sum", "total": "01", "parts": duration_codes},
        {"kind": "sum", "total": "01", "parts": list(method_codes)},
    ]
    return rows, checks


def movement_columns(*, old: bool) -> tuple[list[dict], list[dict]]:
    columns = [
        column("1", TOTAL),
        column(
            "2",
            label("Trung ương", "Central", "Pusat"),
            {"launch_level": "central"},
            BY_LAUNCH_LEVEL,
        ),
    ]
    if old:
        columns.append(
            column(
                "3",
                label(
                    "Bộ, ngành, đoàn thể Trung ương, tỉnh",
                    "Ministry, central mass organisation, province",
                    "Kementerian, organisasi massa pusat, provinsi",
                ),
                {"launch_level": ["ministry_province", "agency"]},
                BY_LAUNCH_LEVEL,
            )
        )
    else:
        columns += [
            column(
                "3",
                label(
                    "Bộ, ngành, đoàn thể Trung ương, tỉnh",
                    "Ministry, central mass organisation, province",
                    "Kementerian, organisasi massa pusat, provinsi",
                ),
                {"launch_level": "ministry_province"},
                BY_LAUNCH_LEVEL,
            ),
            column(
                "4",
                label("Cơ quan, đơn vị", "Agency or unit", "Instansi atau unit"),
                {"launch_level": "agency"},
                BY_LAUNCH_LEVEL,
            ),
        ]
    checks = [{"kind": "sum", "total": "1", "parts": [c["code"] for c in columns[1:]]}]
    return columns, checks


def movements_form(code: str, *, old: bool) -> dict[str, Any]:
    rows, row_checks = movement_rows(old=old)
    columns, column_checks = movement_columns(old=old)
    return {
        "code": code,
        "official_code": f"{code}.N/BNV-TĐKT",
        "names": (
            "Số phong trào thi đua",
            "Number of emulation movements",
            "Jumlah gerakan emulasi",
        ),
        "unit_of_count": label("Phong trào", "Movements", "Gerakan"),
        "source": "movements",
        "base_filter": {},
        "rows": rows,
        "columns": columns,
        "row_checks": row_checks,
        "column_checks": column_checks,
        "statutory": True,
    }


# --- forms 0602 and 0603 / 0702 and 0703: awards ---------------------------------------------

INDIVIDUAL = {"recipient": "individual"}


def recipient_rows(first: int) -> tuple[list[dict], list[dict]]:
    """Collectives (of which enterprises), households, individuals split by position; `first`
    is the collectives' row number."""
    c = [f"{first + i:02d}" for i in range(9)]
    rows = [
        row(c[0], label("Tập thể", "Collectives", "Kolektif"), {"recipient": "collective"}),
        row(
            c[1],
            label("Trong đó: Doanh nghiệp", "Of which: enterprises", "Di antaranya: perusahaan"),
            {"recipient": "collective", "enterprise": True},
            level=2,
        ),
        row(c[2], label("Hộ gia đình", "Households", "Rumah tangga"), {"recipient": "household"}),
        row(c[3], label("Cá nhân", "Individuals", "Perorangan"), INDIVIDUAL),
        row(
            c[4],
            label(
                "Lãnh đạo cấp bộ, ngành, tỉnh và tương đương trở lên",
                "Leaders at ministry/province level and above",
                "Pimpinan tingkat kementerian/provinsi ke atas",
            ),
            {**INDIVIDUAL, "position_band": "leader_ministry_province"},
            level=2,
        ),
        row(
            c[5],
            label(
                "Lãnh đạo cấp vụ, sở, ngành và tương đương",
                "Leaders at department level",
                "Pimpinan tingkat dinas",
            ),
            {**INDIVIDUAL, "position_band": "leader_department"},
            level=2,
        ),
        row(
            c[6],
            label("Doanh nhân", "Business people", "Pengusaha"),
            {**INDIVIDUAL, "position_band": "business_person"},
            level=2,
        ),
        row(
            c[7],
            label(
                "Các cấp lãnh đạo khác từ phó trưởng phòng và tương đương trở lên",
                "Other leaders from deputy head of division up",
                "Pimpinan lain dari wakil kepala bagian ke atas",
            ),
            {**INDIVIDUAL, "position_band": "leader_other"},
            level=2,
        ),
        row(
            c[8],
            label(
                "Người trực tiếp lao động, sản xuất, học tập, công tác, chiến đấu",
                "People directly working, producing, studying, fighting",
                "Orang yang langsung bekerja, berproduksi, belajar, bertempur",
            ),
            {**INDIVIDUAL, "direct_worker": True},
            level=2,
        ),
    ]
    checks = [
        {"kind": "of_which", "total": c[0], "parts": [c[1]]},
        {"kind": "at_most", "total": c[3], "parts": c[4:9]},
    ]
    return rows, checks, [c[0], c[2], c[3]]


METHODS = [
    ("regular", label("Thường xuyên", "Regular", "Rutin")),
    ("thematic", label("Chuyên đề", "Thematic", "Tematik")),
    ("ad_hoc", label("Đột xuất", "Ad hoc", "Mendadak")),
    ("foreign", label("Đối ngoại", "Foreign", "Luar negeri")),
    ("contribution", label("Cống hiến", "Lifetime contribution", "Pengabdian")),
    ("seniority", label("Niên hạn", "Long service", "Masa kerja")),
    ("resistance", label("Kháng chiến", "Resistance", "Perlawanan")),
]


def method_rows(first: int) -> tuple[list[dict], list[str]]:
    codes = [f"{first + i:02d}" for i in range(len(METHODS))]
    rows = [
        row(code, text, {"method": value})
        for code, (value, text) in zip(codes, METHODS, strict=True)
    ]
    return rows, codes


BY_AWARD = label(
    "Chia theo hình thức khen thưởng", "By form of award", "Menurut bentuk penghargaan"
)


def state_awards_form(code: str) -> dict[str, Any]:
    """0602: State-level awards. Row numbers after the research notes (1, 2, 3, 6, ...)."""
    recipients, recipient_checks, recipient_parts = recipient_rows(6)
    methods, method_codes = method_rows(15)
    rows = [
        row("01", TOTAL, level=0),
        heading(
            label(
                "1. Chia theo cơ quan trình Thủ tướng Chính phủ",
                "1. By the body submitting to the Prime Minister",
                "1. Menurut badan pengusul kepada Perdana Menteri",
            )
        ),
        row(
            "02",
            label(
                "Bộ, ban, ngành, đoàn thể Trung ương",
                "Ministries and central mass organisations",
                "Kementerian dan organisasi massa pusat",
            ),
            {"submitter": "ministry"},
        ),
        row(
            "03",
            label("Tỉnh, thành phố trực thuộc Trung ương", "Provinces", "Provinsi"),
            {"submitter": "province"},
        ),
        heading(label("2. Chia theo đối tượng", "2. By recipient", "2. Menurut penerima")),
        *recipients,
        heading(label("3. Chia theo phương thức", "3. By method", "3. Menurut metode")),
        *methods,
    ]
    award_columns = [
        ("2", "0602.huan_chuong", label("Huân chương", "Orders", "Bintang jasa")),
        ("3", "0602.huy_chuong", label("Huy chương", "Medals", "Medali")),
        (
            "4",
            "0602.giai_thuong_hcm",
            label("Giải thưởng Hồ Chí Minh", "Hồ Chí Minh Prize", "Hadiah Hồ Chí Minh"),
        ),
        (
            "5",
            "0602.giai_thuong_nha_nuoc",
            label("Giải thưởng Nhà nước", "State Prize", "Hadiah Negara"),
        ),
        (
            "6",
            "0602.danh_hieu_vinh_du",
            label("Danh hiệu vinh dự Nhà nước", "State honorary titles", "Gelar kehormatan negara"),
        ),
        (
            "7",
            "0602.co_thi_dua_cp",
            label(
                "Cờ thi đua của Chính phủ",
                "Government emulation flag",
                "Bendera emulasi pemerintah",
            ),
        ),
        (
            "8",
            "0602.bang_khen_ttcp",
            label(
                "Bằng khen của Thủ tướng Chính phủ",
                "Prime Minister's certificate of merit",
                "Piagam Perdana Menteri",
            ),
        ),
        (
            "9",
            "0602.cstd_toan_quoc",
            label(
                "Chiến sĩ thi đua toàn quốc",
                "National emulation fighter",
                "Pejuang emulasi nasional",
            ),
        ),
        ("10", "0602.khac", label("Hình thức khác", "Other forms", "Bentuk lain")),
    ]
    columns = [column("1", TOTAL)] + [
        column(c, text, {"column": value}, BY_AWARD) for c, value, text in award_columns
    ]
    return {
        "code": code,
        "official_code": f"{code}.N/BNV-TĐKT",
        "names": (
            "Số lượng khen thưởng cấp Nhà nước",
            "State-level awards",
            "Penghargaan tingkat negara",
        ),
        "unit_of_count": label("Lượt", "Awards", "Penghargaan"),
        "source": "honours",
        "base_filter": {"form": "0602"},
        "rows": rows,
        "columns": columns,
        "row_checks": [
            {"kind": "sum", "total": "01", "parts": ["02", "03"]},
            {"kind": "sum", "total": "01", "parts": recipient_parts},
            *recipient_checks,
            {"kind": "sum", "total": "01", "parts": method_codes},
        ],
        "column_checks": [{"kind": "sum", "total": "1", "parts": [c for c, _, _ in award_columns]}],
        "statutory": True,
    }


def province_awards_form(code: str) -> dict[str, Any]:
    """0603: awards at ministry, central mass-organisation and province level."""
    recipients, recipient_checks, recipient_parts = recipient_rows(2)
    methods, method_codes = method_rows(11)
    rows = [
        row("01", TOTAL, level=0),
        heading(label("1. Chia theo đối tượng", "1. By recipient", "1. Menurut penerima")),
        *recipients,
        heading(label("2. Chia theo phương thức", "2. By method", "2. Menurut metode")),
        *methods,
    ]
    award_columns = [
        ("2", "0603.bang_khen", label("Bằng khen", "Certificate of merit", "Piagam penghargaan")),
        (
            "3",
            "0603.cstd",
            label(
                "Chiến sĩ thi đua cấp bộ, ngành, tỉnh",
                "Emulation fighter (ministry/province)",
                "Pejuang emulasi (kementerian/provinsi)",
            ),
        ),
        (
            "4",
            "0603.co_thi_dua",
            label("Cờ thi đua của bộ, ngành, tỉnh", "Emulation flag", "Bendera emulasi"),
        ),
        (
            "5",
            "0603.ky_niem_chuong",
            label("Kỷ niệm chương", "Commemorative badge", "Lencana peringatan"),
        ),
    ]
    columns = [column("1", TOTAL)] + [
        column(c, text, {"column": value}, BY_AWARD) for c, value, text in award_columns
    ]
    return {
        "code": code,
        "official_code": f"{code}.N/BNV-TĐKT",
        "names": (
            "Số lượng khen thưởng cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh",
            "Awards at ministry, central mass organisation and province level",
            "Penghargaan tingkat kementerian, organisasi massa pusat dan provinsi",
        ),
        "unit_of_count": label("Lượt", "Awards", "Penghargaan"),
        "source": "honours",
        "base_filter": {"form": "0603"},
        "rows": rows,
        "columns": columns,
        "row_checks": [
            {"kind": "sum", "total": "01", "parts": recipient_parts},
            *recipient_checks,
            {"kind": "sum", "total": "01", "parts": method_codes},
        ],
        "column_checks": [{"kind": "sum", "total": "1", "parts": [c for c, _, _ in award_columns]}],
        "statutory": True,
    }


# --- the Front's supplementary table -------------------------------------------------------

SUPPLEMENTARY_CODE = "mttq-bs"


def supplementary_form() -> dict[str, Any]:
    level = label("Chia theo cấp khen thưởng", "By level of award", "Menurut tingkat penghargaan")
    ages = [
        ("under_30", label("Dưới 30 tuổi", "Under 30", "Di bawah 30")),
        ("30_45", label("Từ 30 đến 45 tuổi", "30 to 45", "30 sampai 45")),
        ("46_60", label("Từ 46 đến 60 tuổi", "46 to 60", "46 sampai 60")),
        ("over_60", label("Trên 60 tuổi", "Over 60", "Di atas 60")),
        ("", label("Chưa ghi tuổi", "Age not recorded", "Usia tidak dicatat")),
    ]
    kinds = [
        (
            "merit",
            label("Thường xuyên (thành tích)", "For merit (regular)", "Atas prestasi (rutin)"),
        ),
        ("thematic", label("Chuyên đề", "Thematic", "Tematik")),
        ("ad_hoc", label("Đột xuất", "Ad hoc", "Mendadak")),
        ("foreign", label("Đối ngoại", "Foreign", "Luar negeri")),
        ("lifetime", label("Cống hiến", "Lifetime contribution", "Pengabdian")),
        ("long_service", label("Niên hạn", "Long service", "Masa kerja")),
    ]
    age_codes = [f"{9 + i:02d}" for i in range(len(ages))]
    kind_codes = [f"{15 + i:02d}" for i in range(len(kinds))]
    rows = [
        row("01", TOTAL, level=0),
        heading(label("1. Chia theo đối tượng", "1. By recipient", "1. Menurut penerima")),
        row("02", label("Tập thể", "Collectives", "Kolektif"), {"recipient": "collective"}),
        row("03", label("Hộ gia đình", "Households", "Rumah tangga"), {"recipient": "household"}),
        row("04", label("Cá nhân", "Individuals", "Perorangan"), INDIVIDUAL),
        heading(
            label(
                "2. Cá nhân chia theo giới tính",
                "2. Individuals by gender",
                "2. Perorangan menurut jenis kelamin",
            )
        ),
        row("05", label("Nữ", "Women", "Perempuan"), {**INDIVIDUAL, "gender": "female"}),
        row("06", label("Nam", "Men", "Laki-laki"), {**INDIVIDUAL, "gender": "male"}),
        row(
            "07",
            label("Khác hoặc chưa ghi", "Other or not recorded", "Lainnya atau tidak dicatat"),
            {**INDIVIDUAL, "gender": ["other", ""]},
        ),
        heading(label("3. Dân tộc", "3. Ethnicity", "3. Etnis")),
        row(
            "08",
            label(
                "Cá nhân người dân tộc thiểu số",
                "Individuals of ethnic minorities",
                "Perorangan etnis minoritas",
            ),
            {**INDIVIDUAL, "ethnic_minority": True},
        ),
        heading(
            label(
                "4. Cá nhân chia theo độ tuổi",
                "4. Individuals by age",
                "4. Perorangan menurut usia",
            )
        ),
        *[
            row(code, text, {**INDIVIDUAL, "age_band": value})
            for code, (value, text) in zip(age_codes, ages, strict=True)
        ],
        heading(label("5. Người trực tiếp lao động", "5. Direct workers", "5. Pekerja langsung")),
        row(
            "14",
            label(
                "Người trực tiếp lao động, sản xuất, học tập, công tác, chiến đấu",
                "People directly working, producing, studying, fighting",
                "Orang yang langsung bekerja, berproduksi, belajar, bertempur",
            ),
            {**INDIVIDUAL, "direct_worker": True},
        ),
        heading(
            label(
                "6. Chia theo loại khen thưởng",
                "6. By kind of commendation",
                "6. Menurut jenis penghargaan",
            )
        ),
        *[
            row(code, text, {"kind": value})
            for code, (value, text) in zip(kind_codes, kinds, strict=True)
        ],
    ]
    columns = [
        column("1", TOTAL),
        column(
            "2", label("Cấp Nhà nước", "State level", "Tingkat negara"), {"level": "state"}, level
        ),
        column(
            "3",
            label("Cấp bộ, ngành, tỉnh", "Ministry/province level", "Tingkat kementerian/provinsi"),
            {"level": "province"},
            level,
        ),
        column("4", label("Cấp khác", "Other levels", "Tingkat lain"), {"level": "other"}, level),
    ]
    return {
        "code": SUPPLEMENTARY_CODE,
        "official_code": "",
        "names": (
            "Biểu bổ sung của Mặt trận: khen thưởng theo giới tính, dân tộc, độ tuổi, "
            "người trực tiếp lao động, cấp và loại khen thưởng",
            "The Front's supplementary table: honours by gender, ethnicity, age, "
            "direct workers, level and kind",
            "Tabel tambahan Front: penghargaan menurut jenis kelamin, etnis, usia, "
            "pekerja langsung, tingkat dan jenis",
        ),
        "unit_of_count": label("Lượt", "Awards", "Penghargaan"),
        "source": "honours",
        "base_filter": {},
        "rows": rows,
        "columns": columns,
        "row_checks": [
            {"kind": "sum", "total": "01", "parts": ["02", "03", "04"]},
            {"kind": "sum", "total": "04", "parts": ["05", "06", "07"]},
            {"kind": "of_which", "total": "04", "parts": ["08", "14"]},
            {"kind": "sum", "total": "04", "parts": age_codes},
            {"kind": "sum", "total": "01", "parts": kind_codes},
        ],
        "column_checks": [{"kind": "sum", "total": "1", "parts": ["2", "3", "4"]}],
        "statutory": False,
    }


REGIMES: list[dict[str, Any]] = [
    {
        "code": "tt-03-2018",
        "number": "03/2018/TT-BNV",
        "issued_on": dt.date(2018, 3, 6),
        "valid_from": dt.date(2018, 4, 20),
        "valid_to": dt.date(2023, 5, 9),
        "is_placeholder": False,
        "forms": [
            movements_form("0701", old=True),
            state_awards_form("0702"),
            province_awards_form("0703"),
            supplementary_form(),
        ],
    },
    {
        "code": "tt-02-2023",
        "number": "02/2023/TT-BNV",
        "issued_on": dt.date(2023, 3, 23),
        "valid_from": dt.date(2023, 5, 10),
        "valid_to": None,
        "is_placeholder": False,
        "forms": [
            movements_form("0601", old=False),
            state_awards_form("0602"),
            province_awards_form("0603"),
            supplementary_form(),
        ],
    },
    {
        "code": "tt-18-2025",
        "number": "18/2025/TT-BNV",
        "issued_on": dt.date(2025, 10, 8),
        "valid_from": dt.date(2025, 10, 8),
        "valid_to": None,
        "is_placeholder": True,
        "forms": [],
    },
]


def seed(StatRegime: Any, StatForm: Any) -> None:
    """Create or update the regimes and their forms (idempotent; migrations and tests)."""
    for spec in REGIMES:
        regime, _ = StatRegime.objects.update_or_create(
            code=spec["code"],
            defaults={
                "number": spec["number"],
                "issued_on": spec["issued_on"],
                "valid_from": spec["valid_from"],
                "valid_to": spec["valid_to"],
                "is_placeholder": spec["is_placeholder"],
                "due_month": 12,
                "due_day": 15,
                **{f"period_{key}": value for key, value in PERIOD.items()},
            },
        )
        for order, form in enumerate(spec["forms"]):
            vi, en, id_ = form["names"]
            StatForm.objects.update_or_create(
                regime=regime,
                code=form["code"],
                defaults={
                    "official_code": form["official_code"],
                    "name_vi": vi,
                    "name_en": en,
                    "name_id": id_,
                    "unit_of_count": form["unit_of_count"],
                    "source": form["source"],
                    "base_filter": form["base_filter"],
                    "rows": form["rows"],
                    "columns": form["columns"],
                    "row_checks": form["row_checks"],
                    "column_checks": form["column_checks"],
                    "statutory": form["statutory"],
                    "order": order,
                },
            )


def ensure_regimes() -> None:
    """Seed the regimes with the real models (tests whose database was flushed, the demo)."""
    from thidua.reports.models import StatForm, StatRegime  # noqa: PLC0415 (models load late)

    seed(StatRegime, StatForm)
