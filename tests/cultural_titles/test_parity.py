"""Web/API parity of the cultural-title rounds and area assessments (see `tests/parity.py`)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from tests.parity import API, answers, assert_parity

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(committee, chairman, outsider):
    root = UserFactory(username="cultural-root")
    root.is_superuser = True
    root.save()
    return {
        "admin": root,
        "committee": committee,
        "chairman": chairman,
        "outsider": outsider,
        "citizen": UserFactory(username="cultural-citizen"),
        "anonymous": AnonymousUser(),
    }


def test_round(people, round_):
    seen = answers(people, f"/cultural/{round_.pk}/", f"{API}/cultural-titles/rounds/{round_.pk}/")
    assert_parity(seen, allowed={"admin", "committee", "chairman"})


def test_area(people, round_):
    area = round_.areas.first()
    seen = answers(people, f"/cultural/areas/{area.pk}/", f"{API}/cultural-titles/areas/{area.pk}/")
    assert_parity(seen, allowed={"admin", "committee", "chairman"})


def test_an_area_register(people, ward, households):
    area = ward["a"]
    seen = answers(
        people,
        f"/cultural/register/areas/{area.pk}/",
        f"{API}/cultural-titles/register/areas/{area.pk}/households/",
    )
    assert_parity(seen, allowed={"admin", "committee", "chairman"})


def test_a_household(people, ward, households):
    from thidua.org.models import Household

    household = Household.objects.get(code="HA001")
    seen = answers(
        people,
        f"/cultural/register/households/{household.pk}/",
        f"{API}/cultural-titles/register/households/{household.pk}/",
    )
    assert_parity(seen, allowed={"admin", "committee", "chairman"})
