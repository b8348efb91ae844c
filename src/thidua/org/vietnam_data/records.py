"""The records the dataset is made of (legacy and current units, successions) and the
builder's internal state."""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = "province"


DISTRICT = "district"


WARD = "ward"


_CENTRAL_CITY = "Thành phố Trung ương"


_PROVINCE_KIND = "Tỉnh"


_LEGACY_WARD_KINDS = ("Phường", "Thị trấn", "Xã")


_LEGACY_DISTRICT_KINDS = ("Thành phố", "Thị xã", "Quận", "Huyện")


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
