"""Household codes: printed on slips, derived from the survey's secret so they can be printed
again, and stored only as a keyed hash (unlinkable outside the survey)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

ALPHABET_FIX = str.maketrans({"0": "O", "1": "I"})


def _mac(survey: Any, text: str) -> bytes:
    return hmac.new(survey.secret.encode(), text.encode(), hashlib.sha256).digest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper().translate(ALPHABET_FIX) if ch.isalnum())


def household_code(survey: Any, area_id: int, number: int) -> str:
    """The code printed on slip `number` (from 1) of an area: "ABCD-EFGH"."""
    raw = base64.b32encode(_mac(survey, f"slip:{area_id}:{number}")).decode()[:8]
    return f"{raw[:4]}-{raw[4:]}"


def household_codes(survey: Any, area_id: int, count: int) -> Iterator[str]:
    for number in range(1, count + 1):
        yield household_code(survey, area_id, number)


def slip_key(survey: Any, code: str) -> str:
    return _mac(survey, "key:" + normalise_code(code)).hex()
