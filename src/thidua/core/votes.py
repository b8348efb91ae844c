"""The one rule of a council's vote, for every council (initiatives, commendation): the yes votes
needed are a share of ALL members, present or not (the Law on Emulation and Commendation counts
absent members' written opinions and never lowers the bar for absence)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def as_fraction(share: Decimal | float | str) -> Fraction:
    """Shares are stored to a few decimals; 0.667 means two thirds, 0.333 one third, 0.8 four
    fifths (the nearest fraction with a denominator up to 100)."""
    return Fraction(Decimal(share)).limit_denominator(100)


def required_yes(share: Decimal | float | str, strictly_more: bool, members: int) -> int:
    """Yes votes needed out of `members`: at least the share of them, or more than it when
    `strictly_more` ("more than half")."""
    exact = as_fraction(share) * members
    return math.floor(exact) + 1 if strictly_more else math.ceil(exact)


def quorum_needed(share: Decimal | float | str, members: int) -> int:
    """Members who must be present for the meeting to deliberate."""
    return math.ceil(as_fraction(share) * members)
