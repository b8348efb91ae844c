"""Fixtures of the proposals-upward tests: a city round offering the city People's Committee's
certificate of merit, two nominees its council approved, a proposal of them to the committee.
Constants and builders are in `helpers.py`."""

import datetime as dt

import pytest

from tests.factories.honors import approve, nominate
from tests.honors.upward.helpers import DATED, TODAY, UBND, complete
from thidua.honors import services
from thidua.honors.models import OutsideBody
from thidua.honors.services import upward


@pytest.fixture
def upward_round(tree, people, awards, council):
    return services.create_round(
        people["city_officer"],
        title="Đề nghị khen cao 2026",
        kind="regular",
        owner_unit=tree["city"],
        opens_on=dt.date(2026, 1, 1),
        closes_on=TODAY + dt.timedelta(days=365),
        award_types=[awards[UBND]],
        council=council,
    )


@pytest.fixture
def approved(tree, people, awards, council, upward_round):
    first = nominate(upward_round, people["bode_officer"], tree["bo_de"], awards[UBND])
    approve(first, people, council)
    second = nominate(
        upward_round,
        people["bode_officer"],
        tree["bo_de"],
        awards[UBND],
        nominee_name="Trần Văn Minh",
        birth_year=1975,
        gender="male",
    )
    approve(second, people, council)
    return [first, second]


@pytest.fixture
def city_committee(awards):
    return OutsideBody.objects.get(code="ubnd-tp-ha-noi")


@pytest.fixture
def proposal(tree, people, awards, approved, city_committee):
    return upward.create_upward_proposal(
        people["city_officer"],
        unit=tree["city"],
        body=city_committee,
        award_type=awards[UBND],
        number="12/TTr-MTTQ-BTT",
        dated=DATED,
        signer="Nguyễn Văn An",
        nominations=approved,
    )


@pytest.fixture
def sent(proposal, people):
    complete(proposal, people["city_officer"])
    return upward.send_upward_proposal(
        people["city_leader"],
        proposal=proposal,
        sent_on=DATED + dt.timedelta(days=1),
        channel="document_system",
        reference="VB-2026-0042",
    )
