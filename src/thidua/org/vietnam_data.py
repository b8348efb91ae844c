"""Vietnamese administrative divisions before and after the 2025-07-01 reform, in plain Python.

On 2025-07-01 Vietnam abolished the district level and merged communes: the *legacy* system
(63 provinces -> districts -> wards/communes) became the *current* system (34 provinces -> wards/
communes/special zones directly under the province). This module joins two PyPI packages into one
consistent view and has no Django dependency:

* ``vietnamadminunits`` (1.0.4) -- the legacy divisions (table ``admin_units_legacy`` of
  ``data/dataset.db``: names, unit types, GSO codes, centroid lat/long for every level), its own
  copy of the current divisions (table ``admin_units``: names, codes, lat/long and area in km² of
  the current wards) and the legacy -> current mapping (``data/converter_2025.json``: legacy
  province -> current province, unsplit legacy ward -> current ward, split legacy ward -> several
  current wards with ``isDefaultNewWard`` and each successor's ``newWardAreaKm2``).
* ``vietnam-provinces`` (2025.10.1, GSO data retrieved 2025-10-18) -- the authoritative list of the
  34 current provinces and 3,321 current wards (``data/nested-divisions.json``: names, integer GSO
  codes, division types).

The data files are read directly (sqlite3 in read-only mode and json); neither package is imported,
so loading is fast (well under a second for the whole country) and the result is cached with
:func:`functools.lru_cache`.

Source of each field
--------------------
* Legacy units: everything from ``vietnamadminunits``. Neither package has legacy areas or any
  population figures, so ``area_km2`` and ``population`` are always ``None`` for legacy units.
* Current units: code, name and unit type from ``vietnam-provinces``; latitude/longitude (and, for
  wards, ``area_km2``) from the ``vietnamadminunits`` row that represents the same unit, matched *by
  name within the province* (the two packages disagree on the codes of 123 wards, see
  :func:`data_issues`). ``population`` is always ``None``; province ``area_km2`` is ``None`` (no
  package gives it).

Names and kind labels
---------------------
``name`` is the full official name including the unit type, with diacritics, e.g.
``"Thành phố Hà Nội"``, ``"Tỉnh Cao Bằng"``, ``"Quận Long Biên"``, ``"Phường Phúc Xá"``
(``vietnam-provinces`` omits the ``"Tỉnh "`` prefix of the 28 current provinces that are not
centrally-run cities; it is added back). Runs of whitespace are collapsed and a mis-capitalised
unit type at the start of a legacy name is fixed (``"Thị Trấn"`` -> ``"Thị trấn"``); otherwise
spellings are kept as the source package gives them (each change is listed by
:func:`data_issues`). ``kind_label`` is one of ``"Thành phố Trung ương"``,
``"Tỉnh"`` (provinces); ``"Quận"``, ``"Huyện"``, ``"Thị xã"``, ``"Thành phố"`` (legacy districts);
``"Phường"``, ``"Xã"``, ``"Thị trấn"`` (legacy wards); ``"Phường"``, ``"Xã"``, ``"Đặc khu"``
(current wards).

Codes
-----
All codes are GSO codes as zero-padded strings, as the packages give them: provinces have 2
digits (``"01"``), legacy districts 3 digits (``"001"``), wards 5 digits (``"00004"``). Legacy
codes come from ``vietnamadminunits``; current codes from ``vietnam-provinces`` (GSO catalogue),
which differ from ``vietnamadminunits``' own current codes for 123 wards (see
:func:`data_issues`).

Legacy and current codes are kept in their own code spaces as given and **they overlap**: a
current ward usually re-uses the code of one of the legacy wards it absorbed (3,306 of the 3,321
current ward codes equal the code of one of their own predecessors; 3,316 equal some legacy ward
code), so the same string often names two different units (e.g. ``"00004"`` is legacy *Phường
Trúc Bạch* and current *Phường Ba Đình*). Province codes overlap too and do not always denote the
same province (``"24"`` is legacy Bắc Giang but current Bắc Ninh; legacy Bắc Ninh is ``"27"``).
Callers must therefore namespace codes, e.g. ``"L-00004"`` / ``"N-00004"``; collisions between the
two spaces are then harmless. Within one space codes are unique (province, district and ward codes
never collide with each other because of their lengths).

Province arguments
------------------
Functions that take ``province`` expect a *code* in the relevant code space (see each function).
To accept user input such as ``"hanoi"``, ``"Hà Nội"`` or ``"01"`` call :func:`resolve_province`
first and pass the code it returns.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "CurrentUnit",
    "LegacyUnit",
    "Succession",
    "current_units",
    "data_issues",
    "legacy_province_successor",
    "legacy_units",
    "legacy_wardless_district_successors",
    "resolve_province",
    "successions",
]

PROVINCE = "province"
DISTRICT = "district"
WARD = "ward"

_CENTRAL_CITY = "Thành phố Trung ương"
_PROVINCE_KIND = "Tỉnh"
_LEGACY_WARD_KINDS = ("Phường", "Thị trấn", "Xã")
_LEGACY_DISTRICT_KINDS = ("Thành phố", "Thị xã", "Quận", "Huyện")


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegacyUnit:
    """A pre-2025-07-01 administrative unit (63 provinces / districts / wards).

    ``level`` is ``"province"``, ``"district"`` or ``"ward"``; ``parent_code`` is ``None`` for a
    province, the legacy province code for a district and the legacy district code for a ward.
    ``area_km2`` and ``population`` are always ``None`` (no package carries them);
    ``latitude``/``longitude`` are the centroid given by ``vietnamadminunits`` (may be ``None``).
    """

    code: str
    name: str
    level: str
    parent_code: str | None
    kind_label: str
    area_km2: float | None
    population: int | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class CurrentUnit:
    """A post-2025-07-01 administrative unit (34 provinces / 3,321 wards, communes, special zones).

    ``level`` is ``"province"`` or ``"ward"``; ``parent_code`` is ``None`` for a province and the
    current province code for a ward. ``area_km2`` is the ward area given by ``vietnamadminunits``
    (``None`` for provinces and for the few wards without a figure); ``population`` is always
    ``None``.
    """

    code: str
    name: str
    level: str
    parent_code: str | None
    kind_label: str
    area_km2: float | None
    population: int | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Succession:
    """One legacy ward -> current ward edge of the 2025 reform.

    ``share`` is the fraction of the legacy ward attributed to ``current_ward_code`` (the shares of
    one legacy ward sum to 1.0); ``is_default`` marks the single successor to use when a legacy ward
    must map to exactly one current ward. See :func:`successions` for how shares are computed.
    """

    legacy_ward_code: str
    current_ward_code: str
    share: float
    is_default: bool


@dataclass(frozen=True)
class _Issue:
    category: str
    legacy_provinces: frozenset[str]
    message: str


@dataclass(frozen=True)
class _Data:
    legacy: tuple[LegacyUnit, ...]
    current: tuple[CurrentUnit, ...]
    successions: tuple[Succession, ...]
    province_successor: dict[str, str]
    wardless_districts: dict[str, str]
    issues: tuple[_Issue, ...]
    legacy_by_province: dict[str, tuple[LegacyUnit, ...]]
    current_by_province: dict[str, tuple[CurrentUnit, ...]]
    successions_by_province: dict[str, tuple[Succession, ...]]
    wardless_by_province: dict[str, dict[str, str]]
    province_index: dict[str, tuple[frozenset[str], frozenset[str]]]


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook, dot below
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DASHES = re.compile(r"\s*[\u2010\u2011\u2012\u2013\u2014\u2212-]\s*")
_WHITESPACE = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_WARD_PREFIX = re.compile(r"^(phường|xã|đặc khu|thị trấn) ")
_PROVINCE_PREFIXES = ("thanhphotrunguong", "thanhpho", "tinh", "tp")
# Spellings not carried by either package but still in everyday use.
_EXTRA_PROVINCE_ALIASES = {
    "thuathienhue": ("46", "46"),  # name of Huế until it became a central city (2025-01)
    "saigon": ("79", "79"),
    "hcmc": ("79", "79"),
}


def _clean(name: str) -> str:
    """Return ``name`` NFC-normalised with runs of whitespace collapsed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", name)).strip()


def _match_key(name: str) -> str:
    """Key under which two spellings of the same unit name compare equal.

    Case, whitespace, apostrophe and dash variants are ignored, and the tone mark of each word is
    moved to the end of the word, so that the old and new Vietnamese tone placements compare equal
    (``"Hòa"`` == ``"Hoà"``, ``"Thủy"`` == ``"Thuỷ"``). Distinct names such as ``"Cẩm Giang"`` and
    ``"Cẩm Giàng"`` keep distinct keys.
    """
    text = _clean(name).translate(_APOSTROPHES)
    text = _DASHES.sub(" - ", text)
    words = []
    for word in unicodedata.normalize("NFD", text).split(" "):
        tones = "".join(sorted(ch for ch in word if ch in _TONE_MARKS))
        base = "".join(ch for ch in word if ch not in _TONE_MARKS)
        words.append(unicodedata.normalize("NFC", base).casefold() + tones)
    return " ".join(words)


def _short_key(name: str) -> str:
    """:func:`_match_key` without the leading unit type (``"Phường"``, ``"Xã"``, ...)."""
    key = _match_key(name)
    return _WARD_PREFIX.sub("", unicodedata.normalize("NFC", key))


def _fold(text: str) -> str:
    """ASCII fold for lookups: no diacritics, ``đ`` -> ``d``, lower case, letters/digits only."""
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", text)


def _province_aliases(*names: str) -> set[str]:
    """Folded lookup keys for a province name: the full form and the form without its prefix."""
    keys: set[str] = set()
    for name in names:
        folded = _fold(name)
        if not folded:
            continue
        keys.add(folded)
        for prefix in _PROVINCE_PREFIXES:
            if folded.startswith(prefix) and len(folded) > len(prefix):
                keys.add(folded[len(prefix) :])
                break
    return keys


def _province_kind(full_name: str) -> str:
    return _CENTRAL_CITY if full_name.startswith("Thành phố") else _PROVINCE_KIND


def _as_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _distance2(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Squared equirectangular distance; only used to rank candidates."""
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return dx * dx + (lat2 - lat1) ** 2


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _package_dir(package: str) -> Path:
    """Directory of an installed package, located without importing (executing) it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The package {package!r} is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


def _read_vam() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    base = _package_dir("vietnamadminunits") / "data"
    uri = (base / "dataset.db").resolve().as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        conn.row_factory = sqlite3.Row
        legacy = [
            dict(row)
            for row in conn.execute(
                "SELECT province, provinceCode, provinceLat, provinceLon, provinceKey,"
                " provinceKeywords, district, districtType, districtCode, districtLat,"
                " districtLon, districtKey, ward, wardType, wardCode, wardLat, wardLon, wardKey"
                " FROM admin_units_legacy"
            )
        ]
        current = [
            dict(row)
            for row in conn.execute(
                "SELECT province, provinceCode, provinceLat, provinceLon, provinceKey,"
                " provinceKeywords, ward, wardType, wardCode, wardLat, wardLon, wardAreaKm2,"
                " wardKey FROM admin_units"
            )
        ]
    conn.close()
    converter = json.loads((base / "converter_2025.json").read_text(encoding="utf-8"))
    return legacy, current, converter


def _read_vp() -> list[dict[str, Any]]:
    path = _package_dir("vietnam_provinces") / "data" / "nested-divisions.json"
    return json.loads(path.read_text(encoding="utf-8"))


class _Builder:
    """Builds the joined dataset once; see :func:`_load`."""

    def __init__(self) -> None:
        self.issues: list[_Issue] = []
        self.vam_legacy, self.vam_current, self.converter = _read_vam()
        self.vp = _read_vp()

    def issue(self, category: str, legacy_provinces: Iterable[str], message: str) -> None:
        self.issues.append(_Issue(category, frozenset(legacy_provinces), message))

    # ---- legacy ------------------------------------------------------------------------------

    def build_legacy(self) -> None:
        provinces: dict[str, LegacyUnit] = {}
        districts: dict[str, LegacyUnit] = {}
        wards: dict[str, LegacyUnit] = {}
        self.legacy_province_of_district: dict[str, str] = {}
        self.legacy_province_of_ward: dict[str, str] = {}
        self.legacy_province_by_key: dict[str, str] = {}
        self.legacy_ward_by_key: dict[str, str] = {}
        self.wardless_district_keys: dict[str, str] = {}
        self.legacy_keywords: dict[str, set[str]] = defaultdict(set)
        for row in self.vam_legacy:
            pcode, dcode, wcode = row["provinceCode"], row["districtCode"], row["wardCode"]
            if pcode not in provinces:
                name = _clean(row["province"])
                provinces[pcode] = LegacyUnit(
                    code=pcode,
                    name=name,
                    level=PROVINCE,
                    parent_code=None,
                    kind_label=_province_kind(name),
                    area_km2=None,
                    population=None,
                    latitude=_as_float(row["provinceLat"]),
                    longitude=_as_float(row["provinceLon"]),
                )
                self.legacy_province_by_key[row["provinceKey"]] = pcode
                self.legacy_keywords[pcode].update(json.loads(row["provinceKeywords"] or "[]"))
            if dcode not in districts:
                dname, dkind = self._legacy_name_kind(
                    "district",
                    dcode,
                    pcode,
                    row["district"],
                    row["districtType"],
                    _LEGACY_DISTRICT_KINDS,
                )
                districts[dcode] = LegacyUnit(
                    code=dcode,
                    name=dname,
                    level=DISTRICT,
                    parent_code=pcode,
                    kind_label=dkind,
                    area_km2=None,
                    population=None,
                    latitude=_as_float(row["districtLat"]),
                    longitude=_as_float(row["districtLon"]),
                )
                self.legacy_province_of_district[dcode] = pcode
            elif districts[dcode].parent_code != pcode:
                self.issue(
                    "legacy-inconsistent",
                    {pcode, districts[dcode].parent_code or ""},
                    f"vietnamadminunits lists legacy district {dcode} under two provinces; "
                    f"kept the first ({districts[dcode].parent_code}).",
                )
            old_key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
            if not wcode:
                # A district without any ward (island districts); the converter maps the
                # district as a whole.
                self.wardless_district_keys[old_key] = dcode
                continue
            if wcode in wards:
                self.issue(
                    "legacy-inconsistent",
                    {pcode},
                    f"vietnamadminunits lists legacy ward {wcode} twice; kept the first row.",
                )
                continue
            name, kind = self._legacy_name_kind(
                "ward", wcode, pcode, row["ward"], row["wardType"], _LEGACY_WARD_KINDS
            )
            wards[wcode] = LegacyUnit(
                code=wcode,
                name=name,
                level=WARD,
                parent_code=dcode,
                kind_label=kind,
                area_km2=None,
                population=None,
                latitude=_as_float(row["wardLat"]),
                longitude=_as_float(row["wardLon"]),
            )
            self.legacy_province_of_ward[wcode] = pcode
            self.legacy_ward_by_key[old_key] = wcode
        self.legacy_provinces = dict(sorted(provinces.items()))
        self.legacy_districts = dict(sorted(districts.items()))
        self.legacy_wards = dict(sorted(wards.items()))
        district_has_ward = {w.parent_code for w in self.legacy_wards.values()}
        self.wardless_district_codes = [
            d for d in self.legacy_districts if d not in district_has_ward
        ]

    def _legacy_name_kind(
        self,
        level: str,
        code: str,
        pcode: str,
        raw_name: str,
        raw_kind: str | None,
        kinds: tuple[str, ...],
    ) -> tuple[str, str]:
        """Name and kind label of a legacy unit, made consistent with each other.

        The unit type that starts the official name wins over ``vietnamadminunits``' type
        column when they differ; a mis-capitalised type in the name is fixed (``"Thị Trấn"``).
        """
        name = _clean(raw_name)
        kind = _clean(raw_kind or "")
        prefix = next((k for k in kinds if name.casefold().startswith(k.casefold() + " ")), None)
        if prefix is None:
            return name, kind
        if not name.startswith(prefix + " "):
            fixed = prefix + name[len(prefix) :]
            self.issue(
                "legacy-spelling",
                {pcode},
                f"Legacy {level} {code}: vietnamadminunits spells it {name!r}; used {fixed!r}.",
            )
            name = fixed
        if kind != prefix:
            self.issue(
                "legacy-kind",
                {pcode},
                f"Legacy {level} {code} {name!r}: vietnamadminunits' type column says {kind!r}, "
                f"the name says {prefix!r}; used {prefix!r}.",
            )
        return name, prefix

    # ---- current -----------------------------------------------------------------------------

    def build_current(self) -> None:
        vam_province: dict[str, dict[str, Any]] = {}
        vam_wards_by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.vam_current:
            vam_province.setdefault(row["provinceCode"], row)
            vam_wards_by_province[row["provinceCode"]].append(row)
        self.current_province_by_key = {
            row["provinceKey"]: code for code, row in vam_province.items()
        }
        self.current_keywords: dict[str, set[str]] = defaultdict(set)
        for code, row in vam_province.items():
            self.current_keywords[code].update(json.loads(row["provinceKeywords"] or "[]"))

        provinces: dict[str, CurrentUnit] = {}
        wards: dict[str, CurrentUnit] = {}
        self.current_codenames: dict[str, str] = {}
        # vam row (provinceCode, wardCode) -> vp ward code
        self.vam_to_vp: dict[tuple[str, str], str] = {}
        self.pending_current_issues: list[tuple[str, str, str]] = []  # (category, vp code, msg)
        self.pending_province_issues: list[tuple[str, str, str]] = []
        self.vp_ward_names = {
            f"{int(w['code']):05d}": _clean(w["name"]) for p in self.vp for w in p["wards"]
        }

        for prov in self.vp:
            pcode = f"{int(prov['code']):02d}"
            vp_name = _clean(prov["name"])
            division = str(prov["division_type"]).casefold()
            kind = _CENTRAL_CITY if division == "thành phố trung ương" else _PROVINCE_KIND
            name = vp_name
            if kind == _PROVINCE_KIND and not vp_name.startswith("Tỉnh "):
                name = f"Tỉnh {vp_name}"
            vam_row = vam_province.get(pcode)
            if vam_row is None:
                self.pending_province_issues.append(
                    (
                        "current-unmatched",
                        pcode,
                        f"Current province {pcode} {name!r} is missing from vietnamadminunits; "
                        "kept it without coordinates.",
                    )
                )
            elif _match_key(_clean(vam_row["province"])) != _match_key(name):
                self.pending_province_issues.append(
                    (
                        "province-name",
                        pcode,
                        f"Current province {pcode}: vietnam-provinces names it {vp_name!r}, "
                        f"vietnamadminunits {vam_row['province']!r}; used {name!r}.",
                    )
                )
            elif name != vp_name:
                self.pending_province_issues.append(
                    (
                        "province-name",
                        pcode,
                        f"Current province {pcode}: vietnam-provinces names it {vp_name!r} "
                        f"without the unit type, vietnamadminunits {vam_row['province']!r}; "
                        f"used {name!r}.",
                    )
                )
            provinces[pcode] = CurrentUnit(
                code=pcode,
                name=name,
                level=PROVINCE,
                parent_code=None,
                kind_label=kind,
                area_km2=None,
                population=None,
                latitude=_as_float(vam_row["provinceLat"]) if vam_row else None,
                longitude=_as_float(vam_row["provinceLon"]) if vam_row else None,
            )
            self.current_codenames[pcode] = str(prov.get("codename") or "")

            vp_wards = [
                (f"{int(w['code']):05d}", _clean(w["name"]), str(w["division_type"]))
                for w in prov["wards"]
            ]
            for w in prov["wards"]:
                if _clean(w["name"]) != unicodedata.normalize("NFC", w["name"]):
                    self.pending_current_issues.append(
                        (
                            "name-spelling",
                            f"{int(w['code']):05d}",
                            f"Current ward {int(w['code']):05d}: vietnam-provinces spells it "
                            f"{w['name']!r} with extra whitespace; used {_clean(w['name'])!r}.",
                        )
                    )
            matched = self._match_wards(pcode, vp_wards, vam_wards_by_province.get(pcode, []))
            for code, name_w, division_w in vp_wards:
                kind_w = division_w[:1].upper() + division_w[1:]
                row = matched.get(code)
                if row is None:
                    self.pending_current_issues.append(
                        (
                            "current-unmatched",
                            code,
                            f"Current ward {code} {name_w!r} ({pcode}) has no counterpart in "
                            "vietnamadminunits; kept it without area or coordinates.",
                        )
                    )
                area = _as_float(row["wardAreaKm2"]) if row else None
                if row is not None:
                    self._compare_ward(pcode, code, name_w, kind_w, row)
                    if area is None or area <= 0:
                        given = "no area" if area is None else f"an area of {area} km²"
                        self.pending_current_issues.append(
                            (
                                "missing-area",
                                code,
                                f"Current ward {code} {name_w!r}: vietnamadminunits gives "
                                f"{given}; area_km2 is None (a split legacy ward with this "
                                "successor would get equal shares).",
                            )
                        )
                        area = None
                wards[code] = CurrentUnit(
                    code=code,
                    name=name_w,
                    level=WARD,
                    parent_code=pcode,
                    kind_label=kind_w,
                    area_km2=area,
                    population=None,
                    latitude=_as_float(row["wardLat"]) if row else None,
                    longitude=_as_float(row["wardLon"]) if row else None,
                )
        for pcode in sorted(set(vam_province) - set(provinces)):
            self.issue(
                "current-unmatched",
                (),
                f"vietnamadminunits has a current province {pcode} that vietnam-provinces lacks; "
                "ignored (wards mapped into it are re-mapped by name, see below).",
            )
        self.current_provinces = dict(sorted(provinces.items()))
        self.current_wards = dict(sorted(wards.items()))
        self.current_wards_by_province: dict[str, list[CurrentUnit]] = defaultdict(list)
        for ward in self.current_wards.values():
            self.current_wards_by_province[ward.parent_code or ""].append(ward)

    def _match_wards(
        self,
        pcode: str,
        vp_wards: list[tuple[str, str, str]],
        vam_rows: list[dict[str, Any]],
    ) -> dict[str, dict[str, Any]]:
        """Pair vietnam-provinces wards with vietnamadminunits rows of the same province.

        Tries, in order: same name (see :func:`_match_key`); same name without the unit type
        when that is unique on both sides; same code among the still unpaired units.
        """
        result: dict[str, dict[str, Any]] = {}
        free_vp = {code: name for code, name, _ in vp_wards}
        free_vam = {row["wardCode"]: row for row in vam_rows}
        for key_fn in (_match_key, _short_key):
            vp_index: dict[str, list[str]] = defaultdict(list)
            for code, name in free_vp.items():
                vp_index[key_fn(name)].append(code)
            vam_index: dict[str, list[str]] = defaultdict(list)
            for code, row in free_vam.items():
                vam_index[key_fn(row["ward"])].append(code)
            for key, vp_codes in vp_index.items():
                vam_codes = vam_index.get(key, [])
                if len(vp_codes) == 1 and len(vam_codes) == 1:
                    result[vp_codes[0]] = free_vam.pop(vam_codes[0])
                    del free_vp[vp_codes[0]]
        for code in list(free_vp):
            if code in free_vam:
                result[code] = free_vam.pop(code)
                del free_vp[code]
        for code, row in free_vam.items():
            self.pending_current_issues.append(
                (
                    "current-unmatched",
                    "",
                    f"vietnamadminunits current ward {code} {row['ward']!r} ({pcode}) has no "
                    "counterpart in vietnam-provinces; legacy wards mapped to it are re-mapped "
                    "(see the 'unmapped' entries).",
                )
            )
        for vp_code, row in result.items():
            self.vam_to_vp[(pcode, row["wardCode"])] = vp_code
        return result

    def _compare_ward(
        self, pcode: str, code: str, name: str, kind: str, row: dict[str, Any]
    ) -> None:
        vam_code, vam_name, vam_kind = row["wardCode"], _clean(row["ward"]), _clean(row["wardType"])
        if vam_code != code:
            other = self.vp_ward_names.get(vam_code)
            note = (
                f"; in vietnam-provinces {vam_code} is {other!r}"
                if other
                else f"; {vam_code} is not a vietnam-provinces code"
            )
            self.pending_current_issues.append(
                (
                    "code-mismatch",
                    code,
                    f"Current ward {name!r} (province {pcode}): vietnam-provinces code {code}, "
                    f"vietnamadminunits code {vam_code}{note}. Used {code}, matched by name "
                    "within the province.",
                )
            )
        if vam_name != name:
            how = (
                "same name by spelling rules"
                if _match_key(vam_name) == _match_key(name)
                else ("same name apart from the unit type")
            )
            self.pending_current_issues.append(
                (
                    "name-spelling",
                    code,
                    f"Current ward {code}: vietnam-provinces spells it {name!r}, "
                    f"vietnamadminunits {vam_name!r} ({how}); used {name!r}.",
                )
            )
        if vam_kind.casefold() != kind.casefold():
            self.pending_current_issues.append(
                (
                    "kind-mismatch",
                    code,
                    f"Current ward {code} {name!r}: vietnam-provinces gives the unit type "
                    f"{kind!r}, vietnamadminunits {vam_kind!r}; used {kind!r}.",
                )
            )

    # ---- mapping -----------------------------------------------------------------------------

    def build_mapping(self) -> None:
        conv = self.converter
        # Province successors.
        self.province_successor: dict[str, str] = {}
        for new_key, old_keys in conv.get("DICT_PROVINCE", {}).items():
            new_code = self.current_province_by_key.get(new_key)
            for old_key in old_keys:
                old_code = self.legacy_province_by_key.get(old_key)
                if old_code is not None and new_code is not None:
                    self.province_successor[old_code] = new_code
        for old_code, unit in self.legacy_provinces.items():
            if old_code in self.province_successor:
                continue
            # Fallback: same name, else the province holding most of its wards' successors.
            fallback = next(
                (
                    c
                    for c, p in self.current_provinces.items()
                    if _match_key(p.name) == _match_key(unit.name)
                ),
                None,
            )
            self.province_successor[old_code] = fallback or ""
            self.issue(
                "unmapped",
                {old_code},
                f"Legacy province {old_code} {unit.name!r} has no successor in "
                f"vietnamadminunits; mapped by name to {fallback!r} (refined below if empty).",
            )

        # Ward successors: legacy ward code -> list of (vam province code, vam ward key, default,
        # area)
        vam_current_by_key = {(row["provinceKey"], row["wardKey"]): row for row in self.vam_current}
        raw: dict[str, list[tuple[dict[str, Any] | None, str, str, bool, float | None]]] = {}
        wardless: dict[str, tuple[dict[str, Any] | None, str, str]] = {}
        for new_pkey, table in conv.get("DICT_PROVINCE_WARD_NO_DIVIDED", {}).items():
            for new_wkey, old_keys in table.items():
                row = vam_current_by_key.get((new_pkey, new_wkey))
                for old_key in old_keys:
                    if old_key in self.wardless_district_keys:
                        wardless[self.wardless_district_keys[old_key]] = (row, new_pkey, new_wkey)
                        continue
                    wcode = self.legacy_ward_by_key.get(old_key)
                    if wcode is None:
                        self.issue(
                            "converter-unknown",
                            (),
                            f"The converter maps an unknown legacy ward key {old_key!r}; ignored.",
                        )
                        continue
                    raw.setdefault(wcode, []).append((row, new_pkey, new_wkey, True, None))
        for new_pkey, table in conv.get("DICT_PROVINCE_WARD_DIVIDED", {}).items():
            for old_key, entries in table.items():
                wcode = self.legacy_ward_by_key.get(old_key)
                if wcode is None:
                    self.issue(
                        "converter-unknown",
                        (),
                        f"The converter splits an unknown legacy ward key {old_key!r}; ignored.",
                    )
                    continue
                if wcode in raw:
                    self.issue(
                        "converter-duplicate",
                        {self.legacy_province_of_ward[wcode]},
                        f"Legacy ward {wcode} is both unsplit and split in the converter; "
                        "used the split entry.",
                    )
                    raw[wcode] = []
                lst = raw.setdefault(wcode, [])
                for entry in entries:
                    row = vam_current_by_key.get((new_pkey, entry["newWardKey"]))
                    lst.append(
                        (
                            row,
                            new_pkey,
                            entry["newWardKey"],
                            bool(entry.get("isDefaultNewWard")),
                            _as_float(entry.get("newWardAreaKm2")),
                        )
                    )

        # Pass 1: translate every converter target to a vietnam-provinces ward code.
        resolved_by_ward: dict[str, list[tuple[str, bool, float | None]]] = {}
        for wcode, ward in self.legacy_wards.items():
            lp = self.legacy_province_of_ward[wcode]
            entries = raw.get(wcode, [])
            resolved: list[tuple[str, bool, float | None]] = []
            for row, new_pkey, new_wkey, is_default, area in entries:
                target = self._resolve_target(wcode, lp, row, new_pkey, new_wkey)
                if target is None:
                    continue
                if len(entries) > 1:
                    area = self._split_area(wcode, lp, target, area)
                resolved.append((target, is_default, area))
            if not resolved:
                target, how = self._fallback_target(ward, lp)
                resolved = [(target, True, None)]
                self.issue(
                    "unmapped",
                    {lp},
                    f"Legacy ward {wcode} {ward.name!r} has no usable successor in "
                    f"vietnamadminunits; mapped to {target} {self.current_wards[target].name!r} "
                    f"({how}).",
                )
            resolved_by_ward[wcode] = resolved

        # Pass 2: drop split targets that belong to a homonymous ward of another legacy province.
        territory: dict[str, set[str]] = defaultdict(set)
        for wcode, resolved in resolved_by_ward.items():
            if len(resolved) == 1:
                territory[resolved[0][0]].add(self.legacy_province_of_ward[wcode])
        successions: list[Succession] = []
        for wcode, resolved in resolved_by_ward.items():
            lp = self.legacy_province_of_ward[wcode]
            if len(resolved) > 1:
                resolved = self._drop_foreign_targets(wcode, lp, resolved, territory)
            successions.extend(self._shares(wcode, lp, resolved))
        self.successions = successions
        self.current_predecessors: dict[str, set[str]] = defaultdict(set)
        for s in successions:
            self.current_predecessors[s.current_ward_code].add(
                self.legacy_province_of_ward[s.legacy_ward_code]
            )

        self.wardless_districts: dict[str, str] = {}
        for dcode in self.wardless_district_codes:
            district = self.legacy_districts[dcode]
            lp = district.parent_code or ""
            target: str | None = None
            if dcode in wardless:
                row, new_pkey, new_wkey = wardless[dcode]
                target = self._resolve_target(dcode, lp, row, new_pkey, new_wkey)
            if target is None:
                target, how = self._fallback_target(district, lp)
                self.issue(
                    "unmapped",
                    {lp},
                    f"Legacy district {dcode} {district.name!r} has no wards and no successor in "
                    f"vietnamadminunits; mapped to {target} ({how}).",
                )
            self.wardless_districts[dcode] = target
            self.current_predecessors[target].add(lp)
            self.issue(
                "wardless-district",
                {lp},
                f"Legacy district {dcode} {district.name!r} has no wards in vietnamadminunits, so "
                f"it has no Succession; the converter maps the district as a whole to current "
                f"{target} {self.current_wards[target].name!r} "
                "(see legacy_wardless_district_successors()).",
            )

        # Province successors that could not be found above: province of most successors.
        for old_code, new_code in list(self.province_successor.items()):
            if new_code:
                continue
            counts: dict[str, int] = defaultdict(int)
            for s in successions:
                if self.legacy_province_of_ward[s.legacy_ward_code] == old_code:
                    counts[self.current_wards[s.current_ward_code].parent_code or ""] += 1
            self.province_successor[old_code] = max(counts, key=lambda c: (counts[c], c))
        for s in successions:
            lp = self.legacy_province_of_ward[s.legacy_ward_code]
            cp = self.current_wards[s.current_ward_code].parent_code
            if cp != self.province_successor[lp]:
                self.issue(
                    "cross-province",
                    {lp},
                    f"Legacy ward {s.legacy_ward_code} (province {lp}) maps to current ward "
                    f"{s.current_ward_code} in province {cp}, not in the successor province "
                    f"{self.province_successor[lp]}; kept the ward mapping.",
                )

    def check_codes_against_predecessors(self) -> None:
        """Flag current codes that are the legacy code of a ward that is not a predecessor.

        GSO gives a new ward the code of one of the legacy wards it absorbed, so a current code
        that equals the code of an unrelated legacy ward points at a code error in one package.
        """
        edges = {(s.legacy_ward_code, s.current_ward_code) for s in self.successions}
        vam_code_of = {vp: vam for (_, vam), vp in self.vam_to_vp.items()}
        for code, unit in self.current_wards.items():
            legacy = self.legacy_wards.get(code)
            if legacy is None or (code, code) in edges:
                continue
            vam_code = vam_code_of.get(code)
            vam_note = ""
            if vam_code and vam_code != code and (vam_code, code) in edges:
                vam_note = (
                    f"; vietnamadminunits' code {vam_code} is that of predecessor "
                    f"{self.legacy_wards[vam_code].name!r}"
                )
            self.issue(
                "code-suspect",
                self.current_predecessors.get(code, set()),
                f"Current ward {code} {unit.name!r}: the vietnam-provinces code is the legacy "
                f"code of {legacy.name!r}, which the converter does not list as a predecessor"
                f"{vam_note}. Kept {code}; the mapping itself is by name and unaffected.",
            )

    def _resolve_target(
        self,
        legacy_code: str,
        legacy_province: str,
        row: dict[str, Any] | None,
        new_pkey: str,
        new_wkey: str,
    ) -> str | None:
        """Current (vietnam-provinces) ward code for a converter target, or ``None``."""
        if row is not None:
            code = self.vam_to_vp.get((row["provinceCode"], row["wardCode"]))
            if code is not None:
                return code
            name = _clean(row["ward"])
            pcode = self.current_province_by_key.get(new_pkey) or row["provinceCode"]
        else:
            name = new_wkey
            pcode = self.current_province_by_key.get(new_pkey, "")
        # Re-map by name within the province (also tolerant of the ASCII key form).
        want_key, want_fold = _match_key(name), _fold(name)
        candidates = [
            w.code
            for w in self.current_wards_by_province.get(pcode, [])
            if _match_key(w.name) == want_key or _fold(w.name) == want_fold
        ]
        if len(candidates) == 1:
            self.issue(
                "remapped-by-name",
                {legacy_province},
                f"Converter target {new_pkey}/{new_wkey} of legacy unit {legacy_code} is not a "
                f"vietnam-provinces ward; re-mapped by name to {candidates[0]}.",
            )
            return candidates[0]
        self.issue(
            "unmapped",
            {legacy_province},
            f"Converter target {new_pkey}/{new_wkey} of legacy unit {legacy_code} matches "
            f"{len(candidates)} vietnam-provinces wards by name; dropped this target.",
        )
        return None

    def _split_area(self, wcode: str, lp: str, target: str, area: float | None) -> float | None:
        """Area figure used for a split share: the converter's, else the current unit's."""
        unit_area = self.current_wards[target].area_km2
        if area is not None and area > 0:
            if unit_area is not None and abs(unit_area - area) > 0.005:
                self.issue(
                    "area-mismatch",
                    {lp},
                    f"Split of legacy ward {wcode}: the converter gives successor {target} "
                    f"{area} km², the unit table {unit_area} km²; used the converter's figure.",
                )
            return area
        return unit_area

    def _drop_foreign_targets(
        self,
        wcode: str,
        lp: str,
        resolved: list[tuple[str, bool, float | None]],
        territory: dict[str, set[str]],
    ) -> list[tuple[str, bool, float | None]]:
        """Remove split targets that lie in another legacy province's territory.

        ``territory[x]`` holds the legacy provinces of the *unsplit* predecessors of current ward
        ``x``. In the converter, unsplit mappings never cross a legacy-province boundary, but the
        split lists of homonymous wards of two legacy provinces merged into one current province
        (e.g. "Xã Phú Tân, Huyện Châu Thành" in both Hậu Giang and Sóc Trăng) are the union of
        both wards' successors. A target whose territory is known and excludes the legacy ward's
        own province is such an artefact and is dropped, provided another target remains.
        """
        keep = [r for r in resolved if not territory[r[0]] or lp in territory[r[0]]]
        if not keep or len(keep) == len(resolved):
            return resolved
        name = self.legacy_wards[wcode].name
        for item in resolved:
            if item in keep:
                continue
            target, is_default, _area = item
            others = ", ".join(sorted(territory[target]))
            self.issue(
                "homonym-split",
                {lp},
                f"Legacy ward {wcode} {name!r} (province {lp}): the converter also lists "
                f"{target} {self.current_wards[target].name!r}"
                f"{' as the default successor' if is_default else ''}, whose other predecessors "
                f"all come from legacy province(s) {others} (a homonymous ward); dropped it, "
                f"kept {', '.join(t for t, _, _ in keep)}.",
            )
        return keep

    def _fallback_target(self, unit: LegacyUnit, legacy_province: str) -> tuple[str, str]:
        """Explicit fallback for a legacy unit without any mapping.

        1. the current ward of the successor province with the same name (unit type ignored);
        2. else the current ward of that province whose centroid is nearest to the unit's;
        3. else the current ward with the lowest code in that province.
        """
        pcode = self.province_successor.get(legacy_province) or ""
        candidates = self.current_wards_by_province.get(pcode) or list(self.current_wards.values())
        same = [w for w in candidates if _short_key(w.name) == _short_key(unit.name)]
        if len(same) == 1:
            return same[0].code, "same name in the successor province"
        if unit.latitude is not None and unit.longitude is not None:
            located = [w for w in candidates if w.latitude is not None and w.longitude is not None]
            if located:
                lat, lon = unit.latitude, unit.longitude
                best = min(
                    located,
                    key=lambda w: _distance2(lat, lon, w.latitude or 0.0, w.longitude or 0.0),
                )
                return best.code, "nearest centroid in the successor province"
        return min(w.code for w in candidates), "lowest code in the successor province"

    def _shares(
        self, wcode: str, lp: str, resolved: list[tuple[str, bool, float | None]]
    ) -> list[Succession]:
        merged: dict[str, tuple[bool, float | None]] = {}
        for target, is_default, area in resolved:
            if target in merged:
                prev_default, prev_area = merged[target]
                self.issue(
                    "converter-duplicate",
                    {lp},
                    f"Legacy ward {wcode} lists current ward {target} twice; merged.",
                )
                merged[target] = (prev_default or is_default, prev_area)
            else:
                merged[target] = (is_default, area)
        targets = sorted(merged)
        if len(targets) == 1:
            return [Succession(wcode, targets[0], 1.0, True)]
        areas = [merged[t][1] for t in targets]
        if all(a is not None and a > 0 for a in areas):
            total = math.fsum(a or 0.0 for a in areas)
            shares = [(a or 0.0) / total for a in areas]
        else:
            shares = [1.0 / len(targets)] * len(targets)
            self.issue(
                "equal-shares",
                {lp},
                f"Legacy ward {wcode} is split into {', '.join(targets)} but an area figure is "
                "missing or not positive; used equal shares.",
            )
        defaults = [t for t in targets if merged[t][0]]
        by_share = sorted(zip(shares, targets, strict=True), key=lambda p: (-p[0], p[1]))
        if len(defaults) == 1:
            default = defaults[0]
        else:
            pool = [t for _, t in by_share if not defaults or t in defaults]
            default = pool[0]
            self.issue(
                "default-chosen",
                {lp},
                f"Legacy ward {wcode} is split into {', '.join(targets)} with "
                f"{len(defaults)} default successors marked by the converter; chose the largest "
                f"share{' among the marked ones' if defaults else ''}, {default}.",
            )
        return [
            Succession(wcode, t, s, t == default)
            for s, t in sorted(zip(shares, targets, strict=True), key=lambda p: (-p[0], p[1]))
        ]

    # ---- finishing ---------------------------------------------------------------------------

    def flush_current_issues(self) -> None:
        for category, pcode, message in self.pending_province_issues:
            preds = {lp for lp, cp in self.province_successor.items() if cp == pcode}
            self.issue(category, preds, message)
        for category, code, message in self.pending_current_issues:
            self.issue(category, self.current_predecessors.get(code, set()), message)

    def province_index(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        legacy_keys: dict[str, set[str]] = defaultdict(set)
        current_keys: dict[str, set[str]] = defaultdict(set)
        for code, unit in self.legacy_provinces.items():
            for key in _province_aliases(unit.name, *self.legacy_keywords[code]):
                legacy_keys[key].add(code)
        for code, unit in self.current_provinces.items():
            names = (unit.name, self.current_codenames[code], *self.current_keywords[code])
            for key in _province_aliases(*names):
                current_keys[key].add(code)
        for key, (legacy, current) in _EXTRA_PROVINCE_ALIASES.items():
            if legacy:
                legacy_keys[key].add(legacy)
            if current:
                current_keys[key].add(current)
        return {
            key: (frozenset(legacy_keys.get(key, ())), frozenset(current_keys.get(key, ())))
            for key in set(legacy_keys) | set(current_keys)
        }

    def build(self) -> _Data:
        self.build_legacy()
        self.build_current()
        self.build_mapping()
        self.check_codes_against_predecessors()
        self.flush_current_issues()

        legacy = (
            *self.legacy_provinces.values(),
            *self.legacy_districts.values(),
            *self.legacy_wards.values(),
        )
        legacy_by_province: dict[str, list[LegacyUnit]] = defaultdict(list)
        for unit in legacy:
            if unit.level == PROVINCE:
                legacy_by_province[unit.code].append(unit)
            elif unit.level == DISTRICT:
                legacy_by_province[unit.parent_code or ""].append(unit)
            else:
                legacy_by_province[self.legacy_province_of_ward[unit.code]].append(unit)
        current = (*self.current_provinces.values(), *self.current_wards.values())
        current_by_province: dict[str, list[CurrentUnit]] = defaultdict(list)
        for unit in current:
            current_by_province[unit.parent_code or unit.code].append(unit)
        successions_by_province: dict[str, list[Succession]] = defaultdict(list)
        for s in self.successions:
            successions_by_province[self.legacy_province_of_ward[s.legacy_ward_code]].append(s)
        wardless_by_province: dict[str, dict[str, str]] = defaultdict(dict)
        for dcode, target in self.wardless_districts.items():
            wardless_by_province[self.legacy_province_of_district[dcode]][dcode] = target
        order = {"code-mismatch": 0}
        issues = sorted(self.issues, key=lambda i: (order.get(i.category, 1), i.category))
        return _Data(
            legacy=legacy,
            current=current,
            successions=tuple(self.successions),
            province_successor=dict(sorted(self.province_successor.items())),
            wardless_districts=dict(sorted(self.wardless_districts.items())),
            issues=tuple(issues),
            legacy_by_province={k: tuple(v) for k, v in legacy_by_province.items()},
            current_by_province={k: tuple(v) for k, v in current_by_province.items()},
            successions_by_province={k: tuple(v) for k, v in successions_by_province.items()},
            wardless_by_province=dict(wardless_by_province),
            province_index=self.province_index(),
        )


@lru_cache(maxsize=1)
def _load() -> _Data:
    """Read both packages and build the joined dataset (cached for the process lifetime)."""
    return _Builder().build()


def _legacy_province_code(province: str) -> str:
    data = _load()
    code = province.strip()
    if code.isdigit() and len(code) <= 2:
        code = code.zfill(2)
    if code not in data.province_successor:
        raise ValueError(
            f"{province!r} is not a legacy province code (e.g. '01' for Hà Nội); "
            "use resolve_province() to turn a name into a code."
        )
    return code


def _current_province_code(province: str) -> str:
    data = _load()
    code = province.strip()
    if code.isdigit() and len(code) <= 2:
        code = code.zfill(2)
    if code not in data.current_by_province:
        raise ValueError(
            f"{province!r} is not a current province code (e.g. '01' for Hà Nội); "
            "use resolve_province() to turn a name into a code."
        )
    return code


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def legacy_units(province: str | None = None) -> list[LegacyUnit]:
    """Legacy (pre-2025-07-01) units: provinces, then districts, then wards, each sorted by code.

    Parents therefore always precede their children. ``province`` is a *legacy* province code
    (``"01"``); when given, only that province, its districts and its wards are returned. Use
    :func:`resolve_province` to turn user input (``"Hà Nội"``) into a code. Raises
    :class:`ValueError` for an unknown code.

    Five island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no wards in
    the data; they are returned as districts without children (see
    :func:`legacy_wardless_district_successors`).
    """
    data = _load()
    if province is None:
        return list(data.legacy)
    return list(data.legacy_by_province.get(_legacy_province_code(province), ()))


def current_units(province: str | None = None) -> list[CurrentUnit]:
    """Current (post-2025-07-01) units: provinces, then wards, each sorted by code.

    ``province`` is a *current* province code (``"01"``); when given, only that province and its
    wards are returned. Use :func:`resolve_province` for names. Raises :class:`ValueError` for an
    unknown code. The list of units, their codes, names and types are those of
    ``vietnam-provinces``.
    """
    data = _load()
    if province is None:
        provinces = [u for u in data.current if u.level == PROVINCE]
        wards = [u for u in data.current if u.level == WARD]
        return provinces + wards
    return list(data.current_by_province[_current_province_code(province)])


def successions(province: str | None = None) -> list[Succession]:
    """Legacy ward -> current ward successions, sorted by legacy ward code, then by share.

    ``province`` is a *legacy* province code: only the successions of that legacy province's
    wards are returned (their successors may lie in a current province with another code). Raises
    :class:`ValueError` for an unknown code.

    Guarantees: every legacy ward returned by :func:`legacy_units` has at least one succession;
    the shares of a legacy ward sum to 1.0 and exactly one of its successions has
    ``is_default=True``; every ``current_ward_code`` is a ward of :func:`current_units`.

    How successors are found: ``vietnamadminunits``' converter lists, per legacy ward, either one
    successor (share 1.0, default) or several (a legacy ward split between new wards). The
    converter names successors by ``vietnamadminunits`` keys; they are translated to the
    ``vietnam-provinces`` ward of the same name in the same province (the two packages disagree on
    many codes; see :func:`data_issues`).

    Correction of the converter: when two legacy provinces merged into one current province each
    had a ward with the same name (e.g. *Xã Phú Tân, Huyện Châu Thành* in both Hậu Giang and Sóc
    Trăng), the converter lists the union of both wards' successors for each of them, as if each
    had been split. Unsplit mappings never cross a legacy-province boundary, so a split successor
    whose other (unsplit) predecessors all come from a *different* legacy province is dropped
    (28 edges of 27 legacy wards; in one case, 31379 Xã Phú Tân, the dropped edge was the marked
    default). Each drop is listed by :func:`data_issues` (category ``homonym-split``).

    How shares of a split ward are computed: the package does **not** give the part of the old
    ward's area that went to each new ward. The only area figure it gives is ``newWardAreaKm2``,
    the *total* area of each successor (new) ward, so shares are proportional to the successors'
    total areas -- a rough proxy, biased towards large successors. If any successor lacks an area
    figure the shares are equal. The default successor is the one the package marks with
    ``isDefaultNewWard`` (it is *not* necessarily the largest share); if none or several were
    marked, the largest share (among the marked ones) is chosen and recorded in
    :func:`data_issues`.

    Fallback for a legacy ward without any usable mapping (none occurs in the packaged data): the
    current ward of the successor province with the same name; else the one with the nearest
    centroid; else the lowest code in that province. Each use is recorded in :func:`data_issues`.
    """
    data = _load()
    if province is None:
        return list(data.successions)
    return list(data.successions_by_province.get(_legacy_province_code(province), ()))


def legacy_wardless_district_successors(province: str | None = None) -> dict[str, str]:
    """Legacy districts that have no wards in the data -> the current ward that carries them.

    These island districts (e.g. ``"318"`` Huyện Bạch Long Vĩ -> Đặc khu Bạch Long Vĩ) cannot
    appear in :func:`successions`, which is ward-level. ``province`` is a legacy province code.
    """
    data = _load()
    if province is None:
        return dict(data.wardless_districts)
    return dict(data.wardless_by_province.get(_legacy_province_code(province), {}))


def resolve_province(query: str) -> tuple[str | None, str | None]:
    """Resolve a province code or name to ``(legacy_code, current_code)``.

    Accepts a GSO code (``"01"``, ``"1"``) or a name in any case, with or without diacritics,
    spaces or the unit type: ``"hanoi"``, ``"Hà Nội"``, ``"ha noi"``, ``"Thành phố Hà Nội"``,
    ``"TP HCM"``. Each element is the code of the province *with that code or name* in that code
    space, or ``None`` if there is none: ``"Hà Giang"`` -> ``("02", None)`` (merged into Tuyên
    Quang, see :func:`legacy_province_successor`), ``"Bắc Ninh"`` -> ``("27", "24")``. A code is
    looked up in each space separately, so ``"24"`` -> ``("24", "24")`` although legacy 24 is Bắc
    Giang and current 24 is Bắc Ninh.

    Raises :class:`ValueError` if the query matches no province, or several provinces in the
    same code space.
    """
    data = _load()
    text = query.strip()
    if not text:
        raise ValueError("Empty province query.")
    if text.isdigit():
        code = text.zfill(2) if len(text) <= 2 else text
        legacy = code if code in data.province_successor else None
        current = code if code in data.current_by_province else None
        if legacy is None and current is None:
            raise ValueError(f"Unknown province code {query!r}: no legacy or current province.")
        return legacy, current
    folded = _fold(text)
    keys = [folded]
    for prefix in _PROVINCE_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            keys.append(folded[len(prefix) :])
    for key in keys:
        if key in data.province_index:
            legacy_codes, current_codes = data.province_index[key]
            if len(legacy_codes) > 1 or len(current_codes) > 1:
                raise ValueError(
                    f"Ambiguous province {query!r}: legacy {sorted(legacy_codes)}, "
                    f"current {sorted(current_codes)}."
                )
            return (
                next(iter(legacy_codes), None),
                next(iter(current_codes), None),
            )
    raise ValueError(
        f"Unknown province {query!r}: not a legacy or current Vietnamese province "
        "(try a GSO code such as '01' or a name such as 'Hà Nội')."
    )


def legacy_province_successor(legacy_province_code: str) -> str:
    """Current province code that carries the given legacy province.

    Several legacy provinces map to the same current province (e.g. ``"02"`` Hà Giang and
    ``"08"`` Tuyên Quang -> ``"08"`` Tuyên Quang). Source: ``vietnamadminunits``' converter.
    Raises :class:`ValueError` for an unknown code; use :func:`resolve_province` for names.
    """
    return _load().province_successor[_legacy_province_code(legacy_province_code)]


def data_issues(province: str | None = None) -> list[str]:
    """Human-readable list of every disagreement between the packages and how it was handled.

    Each line starts with a category in brackets:

    * ``code-mismatch`` -- the packages give a current ward different codes; the
      ``vietnam-provinces`` code is used and the ward is matched by name within the province.
    * ``name-spelling`` -- same unit, different spelling (tone placement ``Hòa``/``Hoà``,
      apostrophes, dashes, case, doubled spaces); the ``vietnam-provinces`` spelling is used.
    * ``kind-mismatch`` -- different unit type for the same current ward; ``vietnam-provinces``
      wins.
    * ``province-name`` -- ``vietnam-provinces`` omits ``"Tỉnh"``; the full name is used.
    * ``code-suspect`` -- the ``vietnam-provinces`` code of a current ward equals the legacy code
      of a ward that is not among its predecessors (GSO normally re-uses a predecessor's code),
      hinting at a code error; the code is kept.
    * ``missing-area`` -- no (or a zero) area figure for a current ward; ``area_km2`` is ``None``.
    * ``homonym-split`` -- a split successor inherited from a homonymous ward of another legacy
      province was dropped (see :func:`successions`).
    * ``legacy-spelling`` / ``legacy-kind`` -- a legacy name with a mis-capitalised unit type, or
      a type column contradicting the name (the name wins).
    * ``wardless-district`` -- a legacy district without wards (no :class:`Succession`).
    * ``unmapped``, ``remapped-by-name``, ``equal-shares``, ``default-chosen``,
      ``converter-unknown``, ``converter-duplicate``, ``cross-province``, ``current-unmatched``,
      ``legacy-inconsistent``, ``area-mismatch`` -- mapping gaps and the fallback used (see
      :func:`successions`); none occurs with the pinned package versions, they are listed only
      when they occur.

    ``province`` is a *legacy* province code: only issues touching that province's units or the
    current units its wards map into are returned (issues about a current province are returned
    for each of its legacy predecessors). Raises :class:`ValueError` for an unknown code.
    """
    data = _load()
    if province is None:
        return [f"[{i.category}] {i.message}" for i in data.issues]
    code = _legacy_province_code(province)
    return [f"[{i.category}] {i.message}" for i in data.issues if code in i.legacy_provinces]
