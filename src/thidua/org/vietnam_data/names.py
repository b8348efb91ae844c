"""Matching Vietnamese unit names across the two sources: diacritics, prefixes, aliases."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from thidua.org.vietnam_data.records import _CENTRAL_CITY, _PROVINCE_KIND

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
