"""Writes of the Vietnamese tree import: the nation, each province's units and the 2025 reform."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from thidua.core import audit
from thidua.org import vietnam_data
from thidua.org.models import Lineage, Restructuring, Unit
from thidua.org.services import place_units
from thidua.org.vietnam_import import (
    LEGACY_DATE,
    NATION_CODE,
    REFORM_BASIS,
    REFORM_DATE,
    REFORM_TITLE,
    ImportSummary,
    _decimal,
    _kinds,
    _shares,
    current_provinces_for,
)


def ensure_nation(actor: Any) -> Unit:
    nation = Unit.objects.filter(code=NATION_CODE, parent__isnull=True).first()
    if nation is None:
        nation = Unit(
            code=NATION_CODE,
            name="Việt Nam",
            kind=_kinds()["nation"],
            parent=None,
            valid_from=LEGACY_DATE,
        )
        place_units([nation])
        audit.record(actor, "org.create_unit", nation, {"code": NATION_CODE})
    return nation


def import_vietnam(actor: Any, *, province: str | None = None) -> ImportSummary:
    """Import the legacy tree and the 2025 reform for one province (by name or code) or all."""
    summary = ImportSummary()
    targets = current_provinces_for(province)
    legacy_all = [u for u in vietnam_data.legacy_units() if u.level == "province"]
    with transaction.atomic():
        nation = ensure_nation(actor)
        for current_code in targets:
            predecessors = [
                u.code
                for u in legacy_all
                if vietnam_data.legacy_province_successor(u.code) == current_code
            ]
            done = Unit.objects.filter(
                code=current_code, kind__code="province", valid_to__isnull=True
            ).filter(created_by_restructuring__isnull=False) | Unit.objects.filter(
                code=current_code,
                kind__code="province",
                valid_to__isnull=True,
                children__valid_from=REFORM_DATE,
            )
            if done.exists():
                summary.skipped.append(current_code)
                continue
            _import_province(actor, nation, current_code, predecessors, summary)
    return summary


def _import_province(
    actor: Any, nation: Unit, current_code: str, legacy_codes: list[str], summary: ImportSummary
) -> None:
    kinds = _kinds()
    before = REFORM_DATE - dt.timedelta(days=1)
    legacy_units: dict[str, Unit] = {}
    # 1. The legacy tree of every predecessor province, if not there yet.
    for legacy_code in legacy_codes:
        existing = Unit.objects.filter(
            code=legacy_code, kind__code="province", valid_from=LEGACY_DATE
        ).first()
        rows = vietnam_data.legacy_units(legacy_code)
        if existing is not None:
            codes = [r.code for r in rows]
            legacy_units.update(
                {u.code: u for u in Unit.objects.filter(code__in=codes, valid_from=LEGACY_DATE)}
            )
            continue
        for level in ("province", "district", "ward"):
            batch = []
            for row in rows:
                if row.level != level:
                    continue
                parent = nation if level == "province" else legacy_units[row.parent_code]
                unit = Unit(
                    code=row.code,
                    name=row.name,
                    kind=kinds[level],
                    parent=parent,
                    valid_from=LEGACY_DATE,
                    latitude=_decimal(row.latitude),
                    longitude=_decimal(row.longitude),
                    area_km2=_decimal(row.area_km2, "0.001"),
                )
                batch.append(unit)
                legacy_units[row.code] = unit
            place_units(batch)
            setattr(
                summary,
                f"legacy_{level}s" if level != "province" else "legacy_provinces",
                getattr(summary, f"legacy_{level}s" if level != "province" else "legacy_provinces")
                + len(batch),
            )
    # 2. The reform.
    current_rows = vietnam_data.current_units(current_code)
    province_row = next(r for r in current_rows if r.level == "province")
    restructuring = Restructuring.objects.create(
        effective_date=REFORM_DATE,
        title=REFORM_TITLE % province_row.name,
        legal_basis=REFORM_BASIS,
        operations=[{"op": "vietnam_2025_reform", "province": current_code}],
        created_by=actor if isinstance(actor, models.Model) else None,
    )
    continuing = (
        legacy_codes == [current_code] and legacy_units[current_code].name == province_row.name
    )
    if continuing:
        province = legacy_units[current_code]
    else:
        province = Unit(
            code=current_code,
            name=province_row.name,
            kind=kinds["province"],
            parent=nation,
            valid_from=REFORM_DATE,
            latitude=_decimal(province_row.latitude),
            longitude=_decimal(province_row.longitude),
            created_by_restructuring=restructuring,
        )
        place_units([province])
    wards = []
    ward_by_code: dict[str, Unit] = {}
    for row in current_rows:
        if row.level != "ward":
            continue
        unit = Unit(
            code=row.code,
            name=row.name,
            kind=kinds["ward"],
            parent=province,
            valid_from=REFORM_DATE,
            latitude=_decimal(row.latitude),
            longitude=_decimal(row.longitude),
            area_km2=_decimal(row.area_km2, "0.001"),
            created_by_restructuring=restructuring,
        )
        wards.append(unit)
        ward_by_code[row.code] = unit
    place_units(wards)
    summary.current_wards += len(wards)
    summary.current_provinces += 1
    summary.provinces.append(province_row.name)

    # 3. Close what the reform ended and link it to what carries it on.
    closing = [
        u
        for u in legacy_units.values()
        if u.kind.code in ("district", "ward") or (u.kind.code == "province" and not continuing)
    ]
    Unit.objects.filter(pk__in=[u.pk for u in closing]).update(
        valid_to=before, closed_by_restructuring=restructuring
    )
    lineage: list[Lineage] = []
    by_legacy: dict[str, list[vietnam_data.Succession]] = {}
    for legacy_code in legacy_codes:
        for succession in vietnam_data.successions(legacy_code):
            by_legacy.setdefault(succession.legacy_ward_code, []).append(succession)
    for legacy_code, successions in by_legacy.items():
        shares = _shares([s.share for s in successions])
        for succession, share in zip(successions, shares, strict=True):
            lineage.append(
                Lineage(
                    restructuring=restructuring,
                    predecessor=legacy_units[legacy_code],
                    successor=ward_by_code[succession.current_ward_code],
                    share=share,
                    is_default=succession.is_default,
                )
            )
    wardless = {}
    for legacy_code in legacy_codes:
        wardless.update(vietnam_data.legacy_wardless_district_successors(legacy_code))
    for unit in legacy_units.values():
        if unit.kind.code == "district":
            successor = ward_by_code[wardless[unit.code]] if unit.code in wardless else province
            lineage.append(
                Lineage(
                    restructuring=restructuring,
                    predecessor=unit,
                    successor=successor,
                    share=Decimal(1),
                    is_default=True,
                )
            )
        elif unit.kind.code == "province" and not continuing:
            lineage.append(
                Lineage(
                    restructuring=restructuring,
                    predecessor=unit,
                    successor=province,
                    share=Decimal(1),
                    is_default=True,
                )
            )
    Lineage.objects.bulk_create(lineage, batch_size=2000)
    summary.lineage_rows += len(lineage)
    for legacy_code in legacy_codes:
        for issue in vietnam_data.data_issues(legacy_code):
            if issue not in summary.issues:
                summary.issues.append(issue)
    audit.record(
        actor,
        "org.import_vietnam",
        restructuring,
        {
            "province": current_code,
            "legacy_provinces": legacy_codes,
            "wards_opened": len(wards),
            "units_closed": len(closing),
            "lineage_rows": len(lineage),
        },
        unit=province,
    )
