"""Web/API parity of the training courses (see `tests/parity.py`)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from tests.parity import API, answers, assert_parity

pytestmark = pytest.mark.django_db


def test_course(course, city_officer, outsider, superuser):
    people = {
        "admin": superuser,
        "city_officer": city_officer,
        "outsider": outsider,
        "citizen": UserFactory(username="training-citizen"),
        "anonymous": AnonymousUser(),
    }
    seen = answers(people, f"/training/{course.pk}/", f"{API}/training/{course.pk}")
    assert_parity(seen, allowed={"admin", "city_officer"})
