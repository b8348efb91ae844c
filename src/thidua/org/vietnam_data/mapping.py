"""The legacy → current mapping (a mixin of `_Builder`)."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from thidua.org.vietnam_data.names import (
    _as_float,
    _clean,
    _distance2,
    _fold,
    _match_key,
    _short_key,
)
from thidua.org.vietnam_data.records import LegacyUnit, Succession


class _Mapping:
    """The legacy → current mapping of `_Builder`: which current unit each legacy ward went to,
    with area shares (a mixin: `_Builder` holds the state)."""

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
