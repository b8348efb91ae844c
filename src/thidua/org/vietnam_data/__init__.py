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

The package: `records`, `names`, `sources`, the `builder` and its `mapping`; the public API
below.
"""

from __future__ import annotations

from functools import lru_cache

from thidua.org.vietnam_data.builder import _Builder
from thidua.org.vietnam_data.names import _PROVINCE_PREFIXES, _fold
from thidua.org.vietnam_data.records import (
    PROVINCE,
    WARD,
    CurrentUnit,
    LegacyUnit,
    Succession,
    _Data,
)

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
