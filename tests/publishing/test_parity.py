"""Web/API parity of the newsroom's drafts (see `tests/parity.py`): the staff page of a story and
the draft endpoint."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from tests.parity import API, answers, assert_parity

pytestmark = pytest.mark.django_db


def test_draft_story(
    story, contributor, ward_editor, sibling_editor, city_editor, chief, superuser
):
    people = {
        "admin": superuser,
        "contributor": contributor,
        "ward_editor": ward_editor,
        "sibling_editor": sibling_editor,
        "city_editor": city_editor,
        "chief": chief,
        "citizen": UserFactory(username="news-citizen"),
        "anonymous": AnonymousUser(),
    }
    seen = answers(people, f"/publishing/{story.pk}/", f"{API}/publishing/drafts/{story.pk}")
    assert_parity(seen, allowed={"contributor", "ward_editor", "city_editor", "chief"})
