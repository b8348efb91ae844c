"""Commendation dossiers in the inbox: a dossier at a level where nobody decides (a residential
group) is forwarded to the ward's leader, who is told, sees why, and may act on it."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.honors import nominate
from thidua.core import work
from thidua.core.models import Notification
from thidua.honors import services
from thidua.honors.work import NOMINATION


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def dossiers(user):
    return work.inbox(fresh(user), work_filter=work.WorkFilter(kinds=frozenset([NOMINATION])))


@pytest.fixture
def at_group(tree, people, city_round, awards, django_capture_on_commit_callbacks):
    nomination = nominate(city_round, people["bode_officer"], tree["group"], awards["bang-khen"])
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_nomination(people["bode_officer"], nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.current_unit == tree["group"]
    return nomination


def test_a_dossier_at_a_level_without_a_leader_goes_to_the_ward_leader(at_group, tree, people):
    inbox = dossiers(people["bode_leader"])
    assert inbox.total == 1
    item = inbox.items[0]
    assert item.routed_from == tree["group"] and item.routed_to == tree["bo_de"]
    assert "Tổ dân phố 1" in item.routing_note and "Phường Bồ Đề" in item.routing_note
    assert item.unit_label == "Tổ dân phố 1 · Phường Bồ Đề"  # a name that repeats
    assert item.due == at_group.level_due_on
    for someone in ("lb_leader", "city_leader", "quangan_officer", "bode_officer"):
        assert dossiers(people[someone]).total == 0, someone


def test_the_ward_leader_is_notified_and_may_act(client, at_group, tree, people):
    note = Notification.objects.get(user=people["bode_leader"])
    assert "Nguyễn Thị Hoa" in note.message
    assert note.link == reverse("honors:nomination_detail", args=[at_group.pk])
    assert any(m.to == [people["bode_leader"].email] for m in mail.outbox)
    assert not Notification.objects.filter(user=people["lb_leader"]).exists()
    client.force_login(people["bode_leader"])
    page = client.get(reverse("work")).content.decode()
    assert 'data-testid="routed"' in page
    detail = client.get(note.link).content.decode()
    assert "Endorse" in detail  # the page offers the action to the person it was routed to
    services.endorse_nomination(fresh(people["bode_leader"]), nomination=at_group)
    at_group.refresh_from_db()
    assert at_group.current_unit == tree["bo_de"]
    item = dossiers(people["bode_leader"]).items[0]
    assert item.routed_from is None  # now at the ward's own level


def test_endorsing_up_notifies_the_next_level(
    at_group, tree, people, django_capture_on_commit_callbacks
):
    services.endorse_nomination(people["bode_leader"], nomination=at_group)
    with django_capture_on_commit_callbacks(execute=True):
        services.endorse_nomination(people["bode_leader"], nomination=at_group)
    assert Notification.objects.filter(user=people["lb_leader"]).count() == 1
    assert dossiers(people["lb_leader"]).total == 1


def test_the_api_refuses_anonymous_and_lists_the_dossier(client, at_group, people):
    assert client.get("/api/v1/work/", {"kind": NOMINATION}).status_code == 401
    client.force_login(people["bode_leader"])
    body = client.get("/api/v1/work/", {"kind": NOMINATION}).json()
    assert body["total"] == 1 and body["items"][0]["routing_note"]
    client.force_login(people["quangan_officer"])
    assert client.get("/api/v1/work/", {"kind": NOMINATION}).json()["total"] == 0


def test_a_citizen_has_an_empty_inbox(client, at_group):
    someone = UserFactory(username="nobody", roles=[("citizen", at_group.unit)])
    client.force_login(someone)
    assert client.get("/api/v1/work/").json()["total"] == 0
