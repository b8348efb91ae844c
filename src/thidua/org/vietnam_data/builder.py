"""The builder joining both sources into one dataset, checked as it goes."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from thidua.org.vietnam_data.mapping import _Mapping
from thidua.org.vietnam_data.names import (
    _EXTRA_PROVINCE_ALIASES,
    _as_float,
    _clean,
    _match_key,
    _province_aliases,
    _province_kind,
    _short_key,
)
from thidua.org.vietnam_data.records import (
    _CENTRAL_CITY,
    _LEGACY_DISTRICT_KINDS,
    _LEGACY_WARD_KINDS,
    _PROVINCE_KIND,
    DISTRICT,
    PROVINCE,
    WARD,
    CurrentUnit,
    LegacyUnit,
    Succession,
    _Data,
    _Issue,
)
from thidua.org.vietnam_data.sources import _read_vam, _read_vp


class _Builder(_Mapping):
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
