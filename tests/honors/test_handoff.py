"""Hand-offs: "propose for commendation" from a verified exemplar, a replicated practice or a
recognised initiative opens the nomination form pre-filled, and the source links to the nomination.
"""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.honors import documents, pdf
from thidua.honors import selectors, services
from thidua.honors.models import Nomination
from thidua.practices import services as practice_services
from thidua.practices.models import Stage

pytestmark = pytest.mark.django_db

DEEDS = "Dũng cảm cứu ba người trong đám cháy nhà dân ở tổ dân phố 1."


@pytest.fixture
def exemplar(tree, people):
    proposed = practice_services.propose_exemplar(
        people["bode_officer"],
        owner_unit=tree["group"],
        kind="person",
        name="Nguyễn Văn Mạnh",
        deeds=DEEDS,
    )
    return practice_services.verify_exemplar(people["bode_leader"], exemplar=proposed, accept=True)


@pytest.fixture
def replicated_practice(tree, people):
    from thidua.shared.models import Field

    field, _ = Field.objects.get_or_create(
        code="environment", defaults={"name_vi": "Môi trường", "name_en": "Environment"}
    )
    leader = people["bode_leader"]
    practice = practice_services.record_practice(
        people["bode_officer"],
        owner_unit=tree["bo_de"],
        title="Tuyến phố xanh – sạch – đẹp",
        description="Ra quân dọn vệ sinh mỗi tháng.",
        field=field,
        started_on=dt.date(2025, 1, 5),
    )
    lb_leader = people["lb_leader"]
    practice_services.set_nurture_plan(
        lb_leader,
        practice=practice,
        mentoring_unit=tree["long_bien"],
        checkpoints=[("Trồng 200 cây", dt.date(2025, 3, 1))],
    )
    practice_services.move_stage(lb_leader, practice=practice, to_stage=Stage.NURTURED)
    practice_services.write_summary(
        leader,
        practice=practice,
        results="Ba tuyến phố sạch hơn.",
        lessons="Đồng thuận",
        how_to_replicate="Ra quân mỗi tháng",
    )
    practice_services.move_stage(lb_leader, practice=practice, to_stage=Stage.SUMMARISED)
    practice_services.replicate(
        people["quangan_officer"], source=practice, adopting_unit=tree["quang_an"]
    )
    practice.refresh_from_db()
    assert practice.stage == Stage.REPLICATED
    return practice


def field_value(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else ""


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*id="id_{name}".*?</select>', page, re.S).group(0)
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return match.group(1) if match else ""


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def test_exemplar_to_prefilled_nomination_and_back(
    client, tree, people, city_round, awards, exemplar
):
    leader = people["bode_leader"]
    client.force_login(leader)
    detail = reverse("practices:exemplar_detail", args=[exemplar.pk])
    propose = reverse("honors:nomination_propose", args=["exemplar", exemplar.pk])
    assert propose in client.get(detail).content.decode()

    # One round is open for the unit: straight to its form, pre-filled.
    response = client.get(propose)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.startswith(reverse("honors:nomination_create", args=[city_round.pk]))
    page = client.get(form_url).content.decode()
    assert field_value(page, "nominee_name") == "Nguyễn Văn Mạnh"
    assert selected(page, "nominee_kind") == "person"
    assert selected(page, "unit") == str(tree["group"].pk)
    assert textarea(page, "achievements") == DEEDS

    response = client.post(
        form_url,
        {
            "award_type": awards["bang-khen"].pk,
            "nominee_kind": "person",
            "nominee_name": "Nguyễn Văn Mạnh",
            "unit": tree["group"].pk,
            "gender": "male",
            "achievements": DEEDS,
            "doc_proposal_letter": pdf(),
            "doc_achievement_report": pdf(),
            "doc_vote_minutes": pdf(),
        },
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.exemplar_id == exemplar.pk
    # proposed on behalf of the ward whose leader filed it, not the residential group
    assert nomination.proposing_unit == tree["bo_de"] and nomination.unit == tree["group"]

    services.submit_nomination(leader, nomination=nomination)
    assert nomination in selectors.due_from(leader)

    back = client.get(detail).content.decode()
    assert reverse("honors:nomination_detail", args=[nomination.pk]) in back


def test_a_user_who_cannot_nominate_is_refused(client, tree, people, city_round, exemplar):
    citizen = UserFactory(username="resident", roles=[("citizen", tree["bo_de"])])
    propose = reverse("honors:nomination_propose", args=["exemplar", exemplar.pk])
    form_url = reverse("honors:nomination_create", args=[city_round.pk])
    api = f"/api/v1/honors/nomination-drafts/exemplar/{exemplar.pk}"

    client.force_login(citizen)
    assert client.get(propose).status_code in (403, 404)
    assert client.get(form_url, {"from": f"exemplar:{exemplar.pk}"}).status_code in (403, 404)
    assert client.get(api).status_code in (403, 404)

    editor = people["editor"]  # sees the exemplar, may not nominate
    client.force_login(editor)
    assert (
        propose
        not in client.get(reverse("practices:exemplar_detail", args=[exemplar.pk])).content.decode()
    )
    assert client.get(propose).status_code == 403
    assert client.get(api).status_code == 403

    client.force_login(people["quangan_officer"])  # another ward: the exemplar is not theirs
    assert client.get(propose).status_code == 404
    assert client.get(api).status_code == 404
    assert not Nomination.objects.exists()


def test_api_gives_the_prefilled_values_and_open_rounds(client, tree, people, city_round, exemplar):
    client.force_login(people["bode_leader"])
    body = client.get(f"/api/v1/honors/nomination-drafts/exemplar/{exemplar.pk}").json()
    assert body == {
        "source": f"exemplar:{exemplar.pk}",
        "nominee_kind": "person",
        "nominee_name": "Nguyễn Văn Mạnh",
        "unit_id": tree["group"].pk,
        "achievements": DEEDS,
        "open_round_ids": [city_round.pk],
    }


def test_an_exemplar_not_yet_verified_cannot_be_proposed(client, tree, people, city_round, awards):
    proposed = practice_services.propose_exemplar(
        people["bode_officer"], owner_unit=tree["group"], kind="person", name="Lê Văn B", deeds="…"
    )
    client.force_login(people["bode_leader"])
    propose = reverse("honors:nomination_propose", args=["exemplar", proposed.pk])
    assert client.get(propose).status_code == 404
    with pytest.raises(ValidationError):
        services.nominate(
            people["bode_leader"],
            round=city_round,
            award_type=awards["bang-khen"],
            nominee_kind="person",
            nominee_name="Lê Văn B",
            unit=tree["group"],
            achievements="…",
            documents=documents(),
            exemplar=proposed,
        )
    assert not Nomination.objects.exists()


def test_several_open_rounds_are_offered_and_none_is_said(
    client, tree, people, city_round, awards, exemplar
):
    client.force_login(people["bode_leader"])
    propose = reverse("honors:nomination_propose", args=["exemplar", exemplar.pk])
    # Two open rounds of the city: the user chooses.
    second = services.create_round(
        people["city_officer"],
        title="Khen thưởng chuyên đề 2026",
        kind="thematic",
        owner_unit=tree["city"],
        opens_on=timezone.localdate() - dt.timedelta(days=1),
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        award_types=[awards["bang-khen"]],
        council=city_round.council,
    )
    page = client.get(propose)
    assert page.status_code == 200
    body = page.content.decode()
    for round_ in (city_round, second):
        assert reverse("honors:nomination_create", args=[round_.pk]) + "?from=exemplar" in body

    # A round whose only award is for families is not offered for a person.
    families = services.create_round(
        people["bode_leader"],
        title="Gia đình văn hóa 2026",
        kind="thematic",
        owner_unit=tree["bo_de"],
        opens_on=timezone.localdate() - dt.timedelta(days=1),
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        award_types=[awards["gia-dinh-van-hoa"]],
    )
    body = client.get(propose).content.decode()
    assert reverse("honors:nomination_create", args=[families.pk]) not in body

    type(city_round).objects.update(status="closed")
    body = client.get(propose).content.decode()
    assert 'data-testid="no-open-round"' in body


def test_replicated_practice_prefills_the_collective(
    client, tree, people, city_round, replicated_practice
):
    client.force_login(people["bode_leader"])
    detail = reverse("practices:detail", args=[replicated_practice.pk])
    propose = reverse("honors:nomination_propose", args=["practice", replicated_practice.pk])
    assert propose in client.get(detail).content.decode()
    page = client.get(client.get(propose)["Location"]).content.decode()
    assert selected(page, "nominee_kind") == "collective"
    assert field_value(page, "nominee_name") == tree["bo_de"].name
    assert "Ba tuyến phố sạch hơn." in textarea(page, "achievements")
