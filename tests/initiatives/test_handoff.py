"""A recognised initiative handed to commendation: the nomination form opens pre-filled with the
applicant (where the call may name them), the unit and the initiative; the link is kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, ensure_kinds
from tests.factories.initiatives import enter
from thidua.honors import selectors as honor_selectors
from thidua.honors import services as honor_services
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import AwardType
from thidua.initiatives.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def recognised(tree, admin_user, call, data):
    submission = enter(admin_user, call, data(unit=tree["bo_de"]))
    # The council's whole procedure is tested elsewhere; here only its outcome matters.
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.RECOGNISED)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def city_round(tree, admin_user):
    ensure_kinds()
    ensure_catalogue()
    return honor_services.create_round(
        admin_user,
        title="Khen thưởng năm 2026",
        kind="regular",
        owner_unit=tree["city"],
        opens_on=dt.date(2026, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=60),
        award_types=[AwardType.objects.get(code="bang-khen")],
    )


def test_recognised_initiative_prefills_a_nomination(
    client, tree, admin_user, call, recognised, city_round
):
    client.force_login(admin_user)  # runs the call: may see the applicant
    detail = reverse("initiatives:submission", args=[call.pk, recognised.pk])
    propose = reverse("honors:nomination_propose", args=["submission", recognised.pk])
    assert propose in client.get(detail).content.decode()
    draft = client.get(f"/api/v1/honors/nomination-drafts/submission/{recognised.pk}").json()
    assert draft["nominee_name"] == "Nguyễn Văn An"
    assert draft["unit_id"] == tree["bo_de"].pk
    assert "Nước sạch cho tổ dân phố" in draft["achievements"]
    assert draft["open_round_ids"] == [city_round.pk]


def test_the_applicant_is_not_named_to_a_ward_leader_when_names_are_not_published(
    client, tree, recognised, city_round
):
    Submission.objects.filter(pk=recognised.pk).update(publish_names=False)
    leader = UserFactory(username="bode-leader", roles=[("leader", tree["bo_de"])])
    client.force_login(leader)
    draft = client.get(f"/api/v1/honors/nomination-drafts/submission/{recognised.pk}").json()
    assert draft["nominee_name"] == ""
    assert draft["unit_id"] == tree["bo_de"].pk


def test_an_initiative_not_recognised_cannot_be_handed_over(
    client, tree, admin_user, call, data, city_round
):
    submission = enter(admin_user, call, data(unit=tree["bo_de"]))
    client.force_login(admin_user)
    propose = reverse("honors:nomination_propose", args=["submission", submission.pk])
    assert client.get(propose).status_code == 404
    assert not honor_selectors.nominations_from(admin_user, kind="submission", pk=submission.pk)


def test_an_officer_of_another_ward_is_refused(client, tree, recognised, city_round):
    officer = UserFactory(username="qa-officer", roles=[("officer", tree["quang_an"])])
    client.force_login(officer)
    propose = reverse("honors:nomination_propose", args=["submission", recognised.pk])
    assert client.get(propose).status_code == 404
    api = f"/api/v1/honors/nomination-drafts/submission/{recognised.pk}"
    assert client.get(api).status_code == 404
