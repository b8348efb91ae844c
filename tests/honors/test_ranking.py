"""The tie-break rule where the round's quota is applied."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories.honors import approve, nominate
from thidua.core.models import AuditEvent
from thidua.honors import ranking, services
from thidua.honors.models import AwardRule, AwardType, Decision, Honour, Nomination, Vote

pytestmark = pytest.mark.django_db


def candidate(pk, yes, *, kind="person", gender="", direct=False, women_share=None):
    nomination = Nomination(
        pk=pk,
        nominee_name=f"N{pk}",
        nominee_kind=kind,
        gender=gender,
        is_direct_worker=direct,
        women_share=women_share,
        nominated_on=dt.date(2026, 3, 1),
    )
    nomination.vote = Vote(yes=yes)
    return nomination


def standing(result):
    return {row.nomination.pk: (row.standing, row.reason) for row in result.rows}


AWARD = AwardType(code="x", name_vi="X", name_en="X", name_id="X", kind="merit")


def test_more_votes_win_whatever_the_attributes():
    result = ranking.rank(
        [candidate(1, 4, gender="female", direct=True), candidate(2, 5, gender="male")],
        award_type=AWARD,
        quota=1,
    )
    assert standing(result) == {2: ("in", ""), 1: ("out", "fewer yes votes.")}


def test_on_equal_votes_a_direct_worker_comes_first():
    result = ranking.rank(
        [candidate(1, 5, gender="female"), candidate(2, 5, gender="male", direct=True)],
        award_type=AWARD,
        quota=1,
    )
    rows = standing(result)
    assert rows[2] == ("in", "Chosen on the tie-break rule: direct worker.")
    assert rows[1] == ("out", "not chosen on the tie-break rule (equal votes).")


def test_on_equal_votes_a_woman_is_chosen():
    result = ranking.rank(
        [candidate(1, 5, gender="male"), candidate(2, 5, gender="female")],
        award_type=AWARD,
        quota=1,
    )
    assert standing(result)[2] == ("in", "Chosen on the tie-break rule: woman.")
    assert result.refusals({1})[0].startswith("N1 is outside the quota of 1 for X")
    assert result.refusals({2}) == []


def test_a_collective_of_at_least_70_percent_women_is_chosen():
    result = ranking.rank(
        [
            candidate(1, 5, kind="collective", women_share=Decimal("0.690")),
            candidate(2, 5, kind="collective", women_share=Decimal("0.700")),
            candidate(3, 5, kind="collective"),  # share unknown: not preferred
        ],
        award_type=AWARD,
        quota=1,
    )
    rows = standing(result)
    assert rows[2] == ("in", "Chosen on the tie-break rule: a collective of at least 70% women.")
    assert rows[1][0] == rows[3][0] == "out"


def test_a_tie_the_rule_cannot_break_is_left_to_the_council():
    result = ranking.rank(
        [
            candidate(1, 6, gender="male"),
            candidate(2, 5, gender="female"),
            candidate(3, 5, gender="female"),
            candidate(4, 5, gender="male"),
        ],
        award_type=AWARD,
        quota=2,
    )
    rows = standing(result)
    assert rows[1] == ("in", "")
    assert rows[2][0] == rows[3][0] == "tied" and result.tied_places == 1
    assert rows[4][0] == "out"
    assert result.refusals({1, 2}) == [] and result.refusals({1, 3}) == []
    assert "Only 1 of the nominees tied" in result.refusals({1, 2, 3})[0]


def test_within_the_quota_nobody_is_ranked_out():
    result = ranking.rank([candidate(1, 3), candidate(2, 5)], award_type=AWARD, quota=5)
    assert not result.contested
    assert ranking.rank([candidate(1, 3)], award_type=AWARD, quota=None).chosen_ids == {1}


def test_places_already_conferred_count_against_the_quota():
    result = ranking.rank([candidate(1, 5)], award_type=AWARD, quota=1, conferred=1)
    assert standing(result)[1] == ("out", "the quota is already used in this round.")


@pytest.fixture
def tie(tree, people, city_round, awards):
    AwardRule.objects.filter(award_type=awards["bang-khen"]).update(quota_per_round=1)
    man = nominate(
        city_round,
        people["bode_officer"],
        tree["bo_de"],
        awards["bang-khen"],
        nominee_name="Trần Văn Nam",
        gender="male",
        is_direct_worker=False,
    )
    woman = nominate(
        city_round,
        people["bode_officer"],
        tree["bo_de"],
        awards["bang-khen"],
        is_direct_worker=False,
    )
    for nomination in (man, woman):
        approve(nomination, people, city_round.council, yes=4)
    return man, woman


def test_the_decision_applies_the_tie_break_and_writes_nothing_when_refused(
    people, city_round, tie
):
    man, woman = tie
    before = (Decision.objects.count(), Honour.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.issue_decision(
            people["city_leader"],
            round=city_round,
            number="3/QĐ",
            signed_on=dt.date(2026, 3, 1),
            signer="A",
            nominations=[man],
        )
    assert (
        "Trần Văn Nam is outside the quota of 1 for Certificate of merit: not chosen on the "
        "tie-break rule (equal votes)." in error.value.messages
    )
    assert (Decision.objects.count(), Honour.objects.count(), AuditEvent.objects.count()) == before
    decision = services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="3/QĐ",
        signed_on=dt.date(2026, 3, 1),
        signer="A",
        nominations=[woman],
    )
    assert [h.recipient_name for h in decision.honours.all()] == ["Nguyễn Thị Hoa"]


def test_round_and_decision_pages_show_the_reason(client, people, city_round, tie):
    man, woman = tie
    client.force_login(people["city_leader"])
    page = client.get(reverse("honors:round_detail", args=[city_round.pk])).content.decode()
    assert "Chosen on the tie-break rule: woman." in page
    url = reverse("honors:decision_create", args=[city_round.pk])
    page = client.get(url).content.decode()
    assert "Chosen on the tie-break rule: woman." in page
    assert f'value="{woman.pk}"' in page and "checked" in page.split(f'value="{woman.pk}"')[1][:40]
    assert "checked" not in page.split(f'value="{man.pk}"')[1][:40]
    response = client.post(
        url, {"number": "4/QĐ", "signed_on": "2026-03-01", "signer": "A", "nominations": [man.pk]}
    )
    assert response.status_code == 200 and "outside the quota of 1" in response.content.decode()
    assert not Decision.objects.exists()
    client.force_login(people["bode_officer"])  # a ward officer cannot issue it
    assert client.get(url).status_code == 403


def test_the_share_of_women_of_a_collective_is_recorded_and_checked(
    client, tree, people, city_round, awards
):
    with pytest.raises(ValidationError) as error:
        nominate(
            city_round,
            people["bode_officer"],
            tree["bo_de"],
            awards["bang-khen"],
            nominee_kind="collective",
            nominee_name="Chi hội Phụ nữ tổ 6",
            women_share=Decimal("1.5"),
        )
    assert "The share of women is between 0 and 100%." in error.value.messages
    assert not Nomination.objects.exists()
    client.force_login(people["bode_officer"])
    from tests.factories.honors import pdf

    url = reverse("honors:nomination_create", args=[city_round.pk])
    data = {
        "award_type": awards["bang-khen"].pk,
        "nominee_kind": "collective",
        "nominee_name": "Chi hội Phụ nữ tổ 6",
        "unit": tree["bo_de"].pk,
        "achievements": "Mô hình tiết kiệm",
        "women_share": "150",
        "doc_proposal_letter": pdf(),
        "doc_achievement_report": pdf(),
        "doc_vote_minutes": pdf(),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Nomination.objects.exists()
    data.update(
        women_share="80",
        doc_proposal_letter=pdf(),
        doc_achievement_report=pdf(),
        doc_vote_minutes=pdf(),
    )
    assert client.post(url, data).status_code == 302
    assert Nomination.objects.get().women_share == Decimal("0.800")
