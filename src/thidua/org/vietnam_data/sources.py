"""Reading the two packaged sources (vietnam-provinces legacy data, the 2025 current data)."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path
from typing import Any


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
