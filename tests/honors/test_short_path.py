"""The short path of ad hoc awards: straight to the conferring level, shortened time limits."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories.honors import nominate
from thidua.core.models import AuditEvent
from thidua.honors import services
from thidua.honors.models import AwardRule, Nomination, NominationEvent
from thidua.honors.working_days import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def ad_hoc_round(tree, people, awards, council):
    return services.create_round(
        people["city_officer"],
        title="Khen thưởng đột xuất",
        kind="ad_hoc",
        owner_unit=tree["city"],
        opens_on=dt.date(2024, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        award_types=[awards["bang-khen"]],
        council=council,
    )


def test_the_seeded_certificate_of_merit_allows_the_short_path(awards):
    rule = services.rule_in_force(awards["bang-khen"], timezone.localdate())
    assert rule.short_path and rule.short_path_days == 5
    fighter = services.rule_in_force(awards["chien-si-thi-dua-co-so"], timezone.localdate())
    assert not fighter.short_path


def test_an_ad_hoc_award_goes_straight_to_the_conferring_level(tree, people, awards, ad_hoc_round):
    nomination = nominate(ad_hoc_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    today = timezone.localdate()
    assert nomination.level_due_on == add_working_days(today, 5)  # shortened, not 20
    services.endorse_nomination(people["bode_leader"], nomination=nomination, straight=True)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.AT_COUNCIL
    assert nomination.current_unit == tree["city"]  # the district's endorsement skipped
    assert nomination.level_due_on == add_working_days(today, 5)
    event = nomination.events.get(action=NominationEvent.Action.ENDORSED)
    assert event.unit == tree["bo_de"] and "Short path" in event.reason


def test_a_regular_award_cannot_take_the_short_path_and_nothing_is_written(
    tree, people, awards, city_round
):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    before = (NominationEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.endorse_nomination(people["bode_leader"], nomination=nomination, straight=True)
    assert "Only an ad hoc award whose rule allows the short path" in error.value.messages[0]
    nomination.refresh_from_db()
    assert nomination.current_unit == tree["bo_de"] and nomination.status == "submitted"
    assert (NominationEvent.objects.count(), AuditEvent.objects.count()) == before


def test_an_ad_hoc_award_whose_rule_does_not_allow_it_is_refused(
    tree, people, awards, ad_hoc_round
):
    AwardRule.objects.filter(award_type=awards["bang-khen"]).update(short_path=False)
    nomination = nominate(ad_hoc_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    assert nomination.level_due_on == add_working_days(timezone.localdate(), 20)
    with pytest.raises(ValidationError):
        services.endorse_nomination(people["bode_leader"], nomination=nomination, straight=True)


def test_only_the_leader_of_the_level_takes_the_short_path(tree, people, awards, ad_hoc_round):
    nomination = nominate(ad_hoc_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    with pytest.raises(PermissionDenied):
        services.endorse_nomination(people["bode_officer"], nomination=nomination, straight=True)
    with pytest.raises(PermissionDenied):
        services.endorse_nomination(people["editor"], nomination=nomination, straight=True)


def test_the_nomination_page_offers_the_short_path(client, tree, people, awards, ad_hoc_round):
    nomination = nominate(ad_hoc_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    url = reverse("honors:nomination_detail", args=[nomination.pk])
    client.force_login(people["bode_officer"])
    assert 'data-testid="straight"' not in client.get(url).content.decode()
    response = client.post(
        reverse("honors:nomination_decide", args=[nomination.pk]), {"decision": "straight"}
    )
    assert response.status_code == 403
    client.force_login(people["bode_leader"])
    assert 'data-testid="straight"' in client.get(url).content.decode()
    client.post(reverse("honors:nomination_decide", args=[nomination.pk]), {"decision": "straight"})
    nomination.refresh_from_db()
    assert nomination.status == "at_council" and nomination.current_unit == tree["city"]


def test_the_page_refuses_the_short_path_for_a_regular_round(
    client, tree, people, awards, city_round
):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    client.force_login(people["bode_leader"])
    url = reverse("honors:nomination_detail", args=[nomination.pk])
    assert 'data-testid="straight"' not in client.get(url).content.decode()
    response = client.post(
        reverse("honors:nomination_decide", args=[nomination.pk]),
        {"decision": "straight"},
        follow=True,
    )
    assert "Only an ad hoc award whose rule allows the short path" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.current_unit == tree["bo_de"]


def test_the_api_takes_the_short_path_and_refuses_it_where_the_rule_does_not(
    client, tree, people, awards, ad_hoc_round, city_round
):
    adhoc = nominate(ad_hoc_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    regular = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    for nomination in (adhoc, regular):
        services.submit_nomination(people["bode_officer"], nomination=nomination)
    url = "/api/v1/honors/nominations/{}/endorse?straight=true"
    client.force_login(people["bode_officer"])
    assert client.post(url.format(adhoc.pk)).status_code == 403
    client.force_login(people["bode_leader"])
    response = client.post(url.format(regular.pk))
    assert response.status_code == 422 and response.json()["detail"]["__all__"]
    regular.refresh_from_db()
    assert regular.current_unit == tree["bo_de"]
    response = client.post(url.format(adhoc.pk))
    assert response.status_code == 200, response.content
    adhoc.refresh_from_db()
    assert adhoc.status == "at_council" and adhoc.current_unit == tree["city"]
