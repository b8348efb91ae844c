"""The pages and the API of proposals upward: the same answers and refusals for the same person
(parity), the flows through the forms and the endpoints, the public check."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.honors import pdf
from tests.honors.upward.helpers import DATED, TODAY, UBND, complete
from tests.parity import API, answers, assert_parity
from thidua.honors.models import Honour, OutsideBody, OutsideDecision, UpwardProposal

pytestmark = pytest.mark.django_db

UPWARD = f"{API}/honors/upward"


@pytest.fixture
def everyone(people, admin_user, tree):
    return {
        "admin": admin_user,
        "city_officer": people["city_officer"],
        "city_leader": people["city_leader"],
        "ward_officer": people["bode_officer"],
        "other_ward": people["quangan_officer"],
        "citizen": UserFactory(username="upward-citizen", roles=[("citizen", tree["bo_de"])]),
        "anonymous": AnonymousUser(),
    }


def test_detail_page_and_endpoint_agree(everyone, proposal):
    seen = answers(
        everyone,
        reverse("honors:upward_detail", args=[proposal.pk]),
        f"{UPWARD}/proposals/{proposal.pk}",
    )
    assert_parity(seen, allowed={"admin", "city_officer", "city_leader"})


def test_list_page_and_endpoint_agree(everyone, proposal):
    seen = answers(everyone, reverse("honors:upward_list"), f"{UPWARD}/proposals")
    # officers of a ward may look (their list is empty): the citizen may not
    assert_parity(
        seen, allowed={"admin", "city_officer", "city_leader", "ward_officer", "other_ward"}
    )


def _post(user, url, data, *, api=False):
    client = Client()
    client.force_login(user)
    if api:
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def test_write_refusals_agree(people, proposal):
    complete(proposal, people["city_officer"])
    send = {"sent_on": DATED.isoformat(), "channel": "post", "reference": ""}
    # the officer prepares but does not send: 403 on both
    officer = people["city_officer"]
    assert (
        _post(officer, reverse("honors:upward_send", args=[proposal.pk]), send).status_code == 403
    )
    api = _post(officer, f"{UPWARD}/proposals/{proposal.pk}/send", send, api=True)
    assert api.status_code == 403
    # a ward outside the proposal's unit: 404 on both, as for a missing proposal
    ward = people["bode_officer"]
    page = _post(ward, reverse("honors:upward_send", args=[proposal.pk]), send)
    api = _post(ward, f"{UPWARD}/proposals/{proposal.pk}/send", send, api=True)
    assert page.status_code == api.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_prepare_through_the_page(client, people, tree, awards, approved):
    client.force_login(people["city_officer"])
    page = client.get(reverse("honors:upward_create"))
    assert page.status_code == 200 and "Trần Văn Minh" in page.content.decode()
    body = OutsideBody.objects.get(code="ubnd-tp-ha-noi")
    response = client.post(
        reverse("honors:upward_create"),
        {
            "unit": tree["city"].pk,
            "body": body.pk,
            "award_type": awards[UBND].pk,
            "number": "20/TTr-MTTQ",
            "dated": DATED.isoformat(),
            "signer": "Nguyễn Văn An",
            "nominations": [n.pk for n in approved],
        },
    )
    assert response.status_code == 302
    proposal = UpwardProposal.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "20/TTr-MTTQ" in detail and "Minutes of the vote" in detail
    assert proposal.entries.count() == 2


def test_a_body_that_does_not_confer_the_award_is_refused_on_the_page(
    client, people, tree, awards, approved
):
    client.force_login(people["city_officer"])
    government = OutsideBody.objects.get(code="chinh-phu")
    response = client.post(
        reverse("honors:upward_create"),
        {
            "unit": tree["city"].pk,
            "body": government.pk,
            "award_type": awards[UBND].pk,
            "number": "21/TTr-MTTQ",
            "dated": DATED.isoformat(),
            "signer": "Nguyễn Văn An",
            "nominations": [n.pk for n in approved],
        },
    )
    assert response.status_code == 400
    assert "does not confer" in response.content.decode()
    assert not UpwardProposal.objects.exists()


def test_send_and_decide_through_the_api_and_check_publicly(client, people, proposal, approved):
    complete(proposal, people["city_officer"])
    client.force_login(people["city_leader"])
    sent = client.post(
        f"{UPWARD}/proposals/{proposal.pk}/send",
        {"sent_on": DATED.isoformat(), "channel": "email", "reference": "CV 12"},
        content_type="application/json",
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    # a decision dated before the proposal: 422, nothing written
    bad = client.post(
        f"{UPWARD}/proposals/{proposal.pk}/decision",
        {
            "number": "77/QĐ-UBND",
            "signed_on": (DATED - dt.timedelta(days=3)).isoformat(),
            "signer": "Trần Sỹ Thanh",
            "honoured": [approved[0].pk],
            "file": pdf("qd.pdf"),
        },
    )
    assert bad.status_code == 422 and "signed_on" in bad.json()["detail"]
    assert not OutsideDecision.objects.exists()
    decided = client.post(
        f"{UPWARD}/proposals/{proposal.pk}/decision",
        {
            "number": "77/QĐ-UBND",
            "signed_on": TODAY.isoformat(),
            "signer": "Trần Sỹ Thanh",
            "honoured": [approved[0].pk, approved[1].pk],
            "file": pdf("qd.pdf"),
        },
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "decided"
    assert Honour.objects.filter(outside_decision__isnull=False).count() == 2

    anonymous = Client()
    answer = anonymous.get(f"{UPWARD}/verify", {"number": "77/QĐ-UBND", "name": "Trần Văn Minh"})
    assert answer.json()["status"] == "found"
    assert answer.json()["body"] == "Hà Nội People's Committee" or answer.json()["body"]
    page = anonymous.get(
        reverse("public_honors:verify_outside"), {"number": "77/qd-ubnd", "name": "tran van minh"}
    )
    assert 'data-status="found"' in page.content.decode()
    registry = client.get(reverse("honors:registry")).content.decode()
    assert "77/QĐ-UBND" in registry


def test_the_menu_offers_the_page(client, people):
    client.force_login(people["city_officer"])
    assert reverse("honors:upward_list") in client.get(reverse("honors:home")).content.decode()
