"""Web/API parity of a fund (see `tests/parity.py`): its staff page and its totals endpoint."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory, grant
from tests.parity import API, answers, assert_parity

pytestmark = pytest.mark.django_db


def test_fund(ward_fund, people, tree, superuser):
    sibling = UserFactory(username="phucloi-officer")
    grant(sibling, "officer", tree["phuc_loi"])
    everyone = {
        "admin": superuser,
        **people,
        "sibling_officer": sibling,
        "citizen": UserFactory(username="fund-citizen"),
        "anonymous": AnonymousUser(),
    }
    seen = answers(
        everyone,
        f"/mobilization/funds/{ward_fund.pk}/",
        f"{API}/mobilization/funds/{ward_fund.pk}/totals",
    )
    assert_parity(
        seen,
        allowed={"admin", "city_leader", "ward_leader", "accountant", "group_officer", "editor"},
    )


def test_donor(ward_fund, people, tree, superuser):
    from thidua.mobilization import services

    donor = services.add_donor(
        people["accountant"], unit=tree["bo_de"], kind="individual", name="Lê Bình"
    )
    sibling = UserFactory(username="phucloi-donor-officer")
    grant(sibling, "officer", tree["phuc_loi"])
    everyone = {
        "admin": superuser,
        **people,
        "sibling_officer": sibling,
        "citizen": UserFactory(username="donor-citizen"),
        "anonymous": AnonymousUser(),
    }
    seen = answers(
        everyone,
        f"/mobilization/donors/{donor.pk}/",
        f"{API}/mobilization/donors/{donor.pk}",
    )
    # the real name: officers and leaders of the ward or above; never an editor
    assert_parity(seen, allowed={"admin", "city_leader", "ward_leader", "accountant"})
