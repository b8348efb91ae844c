"""The area title goes through the commune's commendation round: the council's vote counts the
yes votes over all its members, absent ones included."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from thidua.cultural_titles import services
from thidua.cultural_titles.models import AreaTitle
from thidua.honors import selectors as honor_selectors
from thidua.honors import services as honors
from thidua.initiatives.services import create_council


@pytest.fixture
def council(ward, chairman):
    members = [UserFactory(username=f"tdkt-{i}") for i in range(5)]
    created = create_council(
        chairman,
        owner_unit=ward["ward"],
        name="Hội đồng Thi đua – Khen thưởng phường",
        members=[
            {"user": members[0], "role": "chair"},
            {"user": members[1], "role": "secretary"},
            *({"user": m, "role": "member"} for m in members[2:]),
        ],
    )
    created.users = members
    return created


@pytest.fixture
def honors_round(ward, chairman, council):
    award = next(a for a in honor_selectors.catalogue() if a.code == "khu-dan-cu-van-hoa")
    return honors.create_round(
        chairman,
        title="Thôn, tổ dân phố văn hóa 2026",
        kind="regular",
        owner_unit=ward["ward"],
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2027, 12, 31),
        award_types=[award],
        council=council,
    )


def propose(chairman, round_, ward, honors_round):
    return services.propose_area(
        chairman,
        round=round_,
        area=ward["a"],
        honors_round_id=honors_round.pk,
        report="Tổ có 95 % hộ đạt gia đình văn hóa, nhà văn hóa hoạt động thường xuyên.",
        evidence="I. Không có hộ nghèo. II. 12 buổi sinh hoạt văn nghệ.",
    )


@pytest.mark.parametrize("yes, passed", [(2, False), (3, True)])
def test_the_vote_counts_over_all_members(
    chairman, round_, ward, honors_round, council, yes, passed
):
    proposed = propose(chairman, round_, ward, honors_round)
    nomination = proposed.nomination
    assert nomination.status == "at_council"
    assert {d.kind for d in nomination.documents.all()} == {"proposal_letter", "achievement_report"}
    for user in council.users[:yes]:  # the others are absent: no ballot
        honors.cast_vote(user, nomination=nomination, choice="yes")
    vote = honors.close_vote(council.users[1], nomination=nomination)
    assert (vote.members, vote.needed, vote.passed) == (5, 3, passed)


def test_an_area_is_proposed_once_a_year_and_only_by_the_commune(
    chairman, committee, round_, ward, honors_round
):
    with pytest.raises(PermissionDenied):
        propose(committee, round_, ward, honors_round)
    propose(chairman, round_, ward, honors_round)
    with pytest.raises(ValidationError):
        propose(chairman, round_, ward, honors_round)
    assert AreaTitle.objects.count() == 1


def test_the_council_minutes_form_06_list_each_area_with_its_vote(
    client, chairman, outsider, round_, ward, honors_round, council
):
    import io

    from django.urls import reverse
    from pypdf import PdfReader

    proposed = propose(chairman, round_, ward, honors_round)
    url = reverse("cultural_titles:council_minutes", args=[round_.pk])
    client.force_login(chairman)
    assert client.get(url).status_code == 302  # no vote yet: back to the round with a message
    for user in council.users[:3]:
        honors.cast_vote(user, nomination=proposed.nomination, choice="yes")
    honors.close_vote(council.users[1], nomination=proposed.nomination)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Tổ dân phố 1" in text and "BIÊN BẢN" in text and "Đạt" in text
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_proposal_page_is_for_the_commune_leader(client, chairman, committee, round_):
    from django.urls import reverse

    url = reverse("cultural_titles:propose_area", args=[round_.pk])
    client.force_login(committee)
    assert client.get(url).status_code == 403
    client.force_login(chairman)
    assert client.get(url).status_code == 200
