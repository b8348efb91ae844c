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
