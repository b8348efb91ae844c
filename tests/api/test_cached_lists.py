"""`/api/v1/units/` is answered from the cache (`thidua.api.cached`): keyed by what the caller
may see, so nobody is ever served a page of a scope they cannot see; a unit opened since is on
the next page; the bytes are those ninja renders."""

import pytest

from tests.factories import UserFactory
from thidua.org.models import UnitKind
from thidua.org.services import create_unit

pytestmark = pytest.mark.django_db
API = "/api/v1/units/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_each_scope_gets_its_own_list(client, tree, admin_user, officer):
    client.force_login(admin_user)
    city = ids(client.get(API))
    assert tree["quang_an"].pk in city
    client.force_login(officer)  # Long Biên only, after the city's list was stored
    theirs = ids(client.get(API))
    assert tree["quang_an"].pk not in theirs and tree["city"].pk not in theirs
    assert tree["bo_de"].pk in theirs
    someone = UserFactory(username="nobody")
    client.force_login(someone)
    assert ids(client.get(API)) == []


def test_a_unit_opened_since_is_listed(client, tree, admin_user):
    client.force_login(admin_user)
    before = client.get(API).json()
    assert client.get(API).json() == before  # stored
    unit = create_unit(
        admin_user,
        code="009",
        name="Quận Mới",
        kind=UnitKind.objects.get(code="district"),
        parent=tree["city"],
        valid_from=tree["city"].valid_from,
    )
    after = client.get(API).json()
    assert after["count"] == before["count"] + 1 and unit.pk in [i["id"] for i in after["items"]]


def test_parameters_are_part_of_the_key_and_still_checked(client, tree, admin_user):
    client.force_login(admin_user)
    everything = client.get(API).json()
    searched = client.get(API, {"q": "bồ đề"}).json()
    assert searched["count"] == 1 < everything["count"]
    assert client.get(API, {"page_size": 2}).json()["items"] == everything["items"][:2]
    assert client.get(API, {"page": 0}).status_code == 422
    client.logout()
    assert client.get(API).status_code == 401
