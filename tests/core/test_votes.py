"""The council vote rule shared by the initiatives council and the commendation council."""

from decimal import Decimal

import pytest

from thidua.core import votes


@pytest.mark.parametrize(
    ("share", "strictly_more", "members", "needed"),
    [
        ("0.5", True, 9, 5),  # more than half of nine
        ("0.5", True, 8, 5),
        ("0.5", False, 8, 4),
        ("0.667", False, 9, 6),  # two thirds of nine, not 6.003 → 7
        ("0.667", False, 10, 7),
        ("0.7", False, 9, 7),
        ("0.8", False, 9, 8),
        ("0.9", False, 11, 10),
        ("1", False, 7, 7),
    ],
)
def test_required_yes_is_a_share_of_all_members(share, strictly_more, members, needed):
    assert votes.required_yes(Decimal(share), strictly_more, members) == needed


def test_quorum_of_two_thirds():
    assert votes.quorum_needed(Decimal("0.667"), 9) == 6
    assert votes.quorum_needed(Decimal("0.5"), 9) == 5


def test_honours_and_initiatives_councils_apply_the_same_rule():
    from thidua.initiatives import services
    from thidua.initiatives.models import Call

    call = Call(recognition_share=Decimal("0.667"), strictly_more=False)
    assert services.required_yes(call, 9) == votes.required_yes(Decimal("0.667"), False, 9) == 6
