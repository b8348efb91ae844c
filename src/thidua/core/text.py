"""Names and titles people see: one Unicode form, no invisible characters.

A name may not carry bidirectional controls (a right-to-left override makes "ahniL" read as
"Linha") nor zero-width characters (two names that look the same but differ): both are removed,
and the rest is put in Unicode NFC form (Vietnamese typed on different keyboards comes as
composed or decomposed letters) with runs of spaces collapsed.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

# U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, U+200E/U+200F marks, U+061C
# the Arabic letter mark; U+200B–U+200D zero-width space/non-joiner/joiner, U+2060 word joiner,
# U+FEFF the zero-width no-break space (a BOM inside a text); U+00AD the soft hyphen.
INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\u00ad]"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_name(value: str | None) -> str:
    """A name or title as stored: NFC, without bidirectional controls, zero-width characters
    or control characters, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", value or "")
    text = INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def normalise_search(text: str) -> str:
    """Lower-case ASCII form used for diacritic-insensitive search ("Long Biên" -> "long bien")."""
    return " ".join(unidecode(text or "").lower().replace("đ", "d").split())
