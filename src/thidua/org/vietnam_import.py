"""Build the real Vietnamese administrative tree and apply the 2025 reform.

Legacy tree (63 provinces → districts → wards/communes) dated 2024-01-01 from `vietnamadminunits`;
the reform effective 2025-07-01: today's 34 provinces and 3,321 wards/communes from
`vietnam-provinces`, district level abolished, wards merged and split by the mapping that
`thidua.org.vietnam_data` reconciles. One `Restructuring` per current province records it.

A current province with exactly one legacy predecessor of the same code continues as the same unit
(Hà Nội stays Hà Nội); merged provinces close and a new province opens. Every legacy ward and
district gets lineage to today's units (wards by the mapping's shares, districts to their province).
Running the import again for an imported province changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import models, transaction

from thidua.core import audit
from thidua.org import vietnam_data
from thidua.org.models import Lineage, Restructuring, Unit, UnitKind
from thidua.org.services import place_units

LEGACY_DATE = dt.date(2024, 1, 1)
REFORM_DATE = dt.date(2025, 7, 1)
NATION_CODE = "VN"
REFORM_TITLE = "Sắp xếp đơn vị hành chính 2025: %s"
REFORM_BASIS = (
    "Nghị quyết 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh); Luật Tổ chức chính quyền "
    "địa phương 2025 (không tổ chức cấp huyện); nghị quyết của UBTVQH về sắp xếp cấp xã"
)
SHARE_QUANTUM = Decimal("0.00000001")


@dataclass
class ImportSummary:
    provinces: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    legacy_provinces: int = 0
    legacy_districts: int = 0
    legacy_wards: int = 0
    current_provinces: int = 0
    current_wards: int = 0
    lineage_rows: int = 0
    issues: list[str] = field(default_factory=list)


def _kinds() -> dict[str, UnitKind]:
    return {kind.code: kind for kind in UnitKind.objects.all()}


def _decimal(value: float | None, places: str = "0.000001") -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def _shares(raw: list[float]) -> list[Decimal]:
    """Quantize float shares so they sum to exactly 1 (the remainder goes to the largest)."""
    shares = [Decimal(str(s)).quantize(SHARE_QUANTUM, ROUND_HALF_EVEN) for s in raw]
    biggest = max(range(len(shares)), key=lambda i: shares[i])
    shares[biggest] += Decimal(1) - sum(shares)
    return shares


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


def current_provinces_for(query: str | None) -> list[str]:
    """Current province codes to import: all, or the one carrying the named province."""
    if not query:
        return [u.code for u in vietnam_data.current_units() if u.level == "province"]
    legacy_code, current_code = vietnam_data.resolve_province(query)
    if current_code is None:
        current_code = vietnam_data.legacy_province_successor(legacy_code)
    return [current_code]


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
