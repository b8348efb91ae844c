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

from thidua.org import vietnam_data
from thidua.org.models import UnitKind

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


def current_provinces_for(query: str | None) -> list[str]:
    """Current province codes to import: all, or the one carrying the named province."""
    if not query:
        return [u.code for u in vietnam_data.current_units() if u.level == "province"]
    legacy_code, current_code = vietnam_data.resolve_province(query)
    if current_code is None:
        current_code = vietnam_data.legacy_province_successor(legacy_code)
    return [current_code]
