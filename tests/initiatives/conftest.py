"""The initiatives tests: their fixtures are in `tests/fixtures/initiatives.py` (shared with the API
fuzzing and the browser journeys), their builders in `tests/factories/initiatives.py`."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.initiatives import enter
from thidua.initiatives import services
from thidua.initiatives.models import Call
from thidua.shared.models import Field

TODAY = timezone.localdate()


@pytest.fixture
def council(initiative_council):
    """The call's council of nine (`tests.factories.initiatives.SEATS`)."""
    return initiative_council


@pytest.fixture
def setup(tree, admin_user):
    """An open call with a council of four (chair, secretary, m1 of Tây Hồ, m2 of Long Biên) and
    one field: the pages', the API's and the abuse limits' tests start here."""
    field = Field.objects.create(
        code="env", name_vi="Môi trường", name_en="Environment", name_id="Lingkungan"
    )
    users = {name: UserFactory(username=name) for name in ("chair", "secretary", "m1", "m2")}
    council = services.create_council(
        admin_user,
        owner_unit=tree["city"],
        name="Hội đồng thẩm định",
        members=[
            {"user": users["chair"], "role": "chair"},
            {"user": users["secretary"], "role": "secretary"},
            {"user": users["m1"], "role": "member", "unit": tree["tay_ho"]},
            {"user": users["m2"], "role": "member", "unit": tree["long_bien"]},
        ],
    )
    call = services.create_call(
        admin_user,
        owner_unit=tree["city"],
        council=council,
        title="Sáng kiến 2026",
        opens_on=TODAY - dt.timedelta(days=1),
        closes_on=TODAY + dt.timedelta(days=30),
        award_levels=[("Giải A", 5_000_000)],
    )
    services.set_call_status(admin_user, call=call, status=Call.Status.OPEN)
    return {"call": call, "field": field, "users": users, "council": council}


@pytest.fixture
def under_review(setup, tree, admin_user):
    submission = services.submit_initiative(
        admin_user,
        call=setup["call"],
        data={
            "unit": tree["bo_de"],
            "field": setup["field"],
            "applicant_kind": "person",
            "applicant_name": "Trần Thị Bình",
            "applicant_email": "binh@example.org",
            "title": "Thu gom rác thông minh",
            "summary": "Tóm tắt",
            "description": "Mô tả",
            "expected_benefit": "Sạch",
        },
    )
    services.screen(admin_user, submission=submission, accept=True)
    member = setup["council"].members.get(user=setup["users"]["m1"])
    services.assign(admin_user, submission=submission, member=member)
    return submission


@pytest.fixture
def submitted(call, data, admin_user):
    """An initiative an officer entered for a citizen: submitted at once, not screened."""
    return enter(admin_user, call, data())
