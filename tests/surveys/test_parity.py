"""Web/API parity of a survey (see `tests/parity.py`): its staff page and its endpoint."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from tests.parity import API, answers, assert_parity
from tests.surveys.helpers import commune, launch, staff

pytestmark = pytest.mark.django_db


def test_survey(superuser):
    city, district, ward, areas = commune(areas=[40, 60])
    officer = staff(ward, username="ward-officer")
    survey = launch(officer, ward)
    _, _, other_ward, _ = commune(areas=[10], name="Xã Khác", code="10599")
    people = {
        "admin": superuser,
        "city_leader": staff(city, "leader", "city-leader"),
        "ward_officer": officer,
        "area_officer": staff(areas[0], username="area-officer"),
        "other_ward_officer": staff(other_ward, username="other-officer"),
        "citizen": UserFactory(username="survey-citizen"),
        "anonymous": AnonymousUser(),
    }
    for page, endpoint in [("", ""), ("", "/results")]:
        seen = answers(
            people, f"/surveys/{survey.pk}/{page}", f"{API}/surveys/{survey.pk}{endpoint}"
        )
        assert_parity(seen, allowed={"admin", "city_leader", "ward_officer", "area_officer"})


def test_questionnaire(superuser):
    city, district, ward, areas = commune(areas=[40, 60])
    officer = staff(ward, username="ward-officer")
    survey = launch(officer, ward)
    _, _, other_ward, _ = commune(areas=[10], name="Xã Khác", code="10599")
    people = {
        "admin": superuser,
        "city_leader": staff(city, "leader", "city-leader"),
        "ward_officer": officer,
        "ward_council": staff(ward, "council_member", "ward-council"),
        "area_officer": staff(areas[0], username="area-officer"),
        "other_ward_officer": staff(other_ward, username="other-officer"),
        "citizen": UserFactory(username="survey-citizen"),
        "anonymous": AnonymousUser(),
    }
    pk = survey.questionnaire_id
    seen = answers(people, f"/surveys/questionnaires/{pk}/", f"{API}/surveys/questionnaires/{pk}")
    assert_parity(seen, allowed={"admin", "city_leader", "ward_officer", "ward_council"})
