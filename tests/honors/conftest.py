"""The commendation tests: their fixtures are in `tests/fixtures/honors.py` (shared with the front
door and the browser journeys), their builders in `tests/factories/honors.py`."""

import datetime as dt

import pytest

from tests.factories.honors import approve, nominate
from thidua.honors import services


@pytest.fixture
def council(honours_council):
    """The city's council of five; `council.users` are its members, chair and secretary first."""
    return honours_council


@pytest.fixture(autouse=True)
def english(settings, client):
    """These tests read the English messages: run them, and the pages they open, in English
    (the Vietnamese and Indonesian catalogues are checked elsewhere)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def decision(tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    return services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="7/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
