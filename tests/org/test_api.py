"""`/api/v1/units/`: session-authenticated, scoped to the caller's part of the tree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, grant, make_unit, warm
from thidua.org.services import apply_restructuring

pytestmark = pytest.mark.django_db

API = "/api/v1/units/"
DAY = dt.date(2025, 7, 1)


def get(client, path: str = "", **params):
    return client.get(f"{API}{path}", params)


def unit_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    return [item["id"] for item in (body["items"] if isinstance(body, dict) else body)]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def restructure(actor, *operations, day=DAY):
    restructuring, _ = apply_restructuring(
        actor, effective_date=day, title="Sắp xếp", operations=list(operations)
    )
    return restructuring


# --- reading ----------------------------------------------------------------------------------


def test_list_is_the_callers_part_of_the_tree(tree, officer_client):
    response = get(officer_client, as_of="2024-01-01")
    expected = [tree[n] for n in ("long_bien", "bo_de", "group", "phuc_loi")]
    assert unit_ids(response) == [u.pk for u in sorted(expected, key=lambda u: u.path)]
    assert response.json()["count"] == 4
    assert response["Content-Type"].startswith("application/json")


def test_list_item_fields(tree, officer_client):
    item = next(i for i in get(officer_client).json()["items"] if i["id"] == tree["bo_de"].pk)
    assert item == {
        "id": tree["bo_de"].pk,
        "code": "00127",
        "name": "Phường Bồ Đề",
        "kind": "ward",
        "parent_id": tree["long_bien"].pk,
        "depth": 2,
        "valid_from": "2020-01-01",
        "valid_to": None,
        "population": None,
        "households": None,
    }


def test_list_as_of_follows_restructurings(tree, superuser, client, admin_user):
    restructure(superuser, {"op": "rename", "unit": tree["tay_ho"].pk, "name": "Quận Tây Hồ mới"})
    client.force_login(admin_user)
    before = {i["name"] for i in get(client, as_of="2025-06-30").json()["items"]}
    after = {i["name"] for i in get(client, as_of="2025-07-01").json()["items"]}
    assert "Quận Tây Hồ" in before and "Quận Tây Hồ mới" not in before
    assert "Quận Tây Hồ mới" in after and "Quận Tây Hồ" not in after
    assert unit_ids(get(client, as_of="2019-12-31")) == []


def test_list_defaults_to_today(tree, officer_client):
    make_unit("Phường Sắp Mở", parent=tree["long_bien"], code="00200", valid_from=DAY.replace(3000))
    today = set(unit_ids(get(officer_client)))
    assert today == set(unit_ids(get(officer_client, as_of=timezone.localdate().isoformat())))
    assert len(today) == 4


def test_list_search_ignores_diacritics(tree, officer_client):
    assert unit_ids(get(officer_client, q="bo de")) == [tree["bo_de"].pk]
    assert unit_ids(get(officer_client, q="quang an")) == []  # Tây Hồ is not the officer's


def test_superuser_lists_everything(tree, superuser, client):
    client.force_login(superuser)
    assert len(unit_ids(get(client))) == len(tree)


def test_bad_date_is_a_422(tree, officer_client):
    assert get(officer_client, as_of="2024-13-45").status_code == 422


def test_get_one_unit(tree, officer_client):
    response = get(officer_client, f"{tree['bo_de'].pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Phường Bồ Đề"
    assert response.json()["kind"] == "ward"


def test_subtree(tree, officer_client):
    response = get(officer_client, f"{tree['bo_de'].pk}/subtree")
    assert unit_ids(response) == [tree["bo_de"].pk, tree["group"].pk]


def test_subtree_as_of(tree, superuser, officer_client):
    restructure(superuser, {"op": "abolish_level", "kind": "residential_area"})
    now = unit_ids(get(officer_client, f"{tree['bo_de'].pk}/subtree", as_of="2025-07-01"))
    then = unit_ids(get(officer_client, f"{tree['bo_de'].pk}/subtree", as_of="2025-06-30"))
    assert now == [tree["bo_de"].pk]
    assert then == [tree["bo_de"].pk, tree["group"].pk]


def test_ancestors_root_first(tree, officer_client):
    response = get(officer_client, f"{tree['group'].pk}/ancestors")
    assert unit_ids(response) == [tree["city"].pk, tree["long_bien"].pk, tree["bo_de"].pk]


def test_lineage(tree, superuser, admin_user, client):
    restructure(
        superuser,
        {
            "op": "split",
            "unit": tree["quang_an"].pk,
            "into": [
                {"code": "QA1", "name": "Quảng An 1", "share": "0.7", "is_default": True},
                {"code": "QA2", "name": "Quảng An 2", "share": "0.3"},
            ],
        },
    )
    client.force_login(admin_user)
    body = get(client, f"{tree['quang_an'].pk}/lineage").json()
    assert body["predecessors"] == []
    assert sorted(
        (link["predecessor_id"], link["share"], link["is_default"], link["effective_date"])
        for link in body["successors"]
    ) == [
        (tree["quang_an"].pk, "0.30000000", False, "2025-07-01"),
        (tree["quang_an"].pk, "0.70000000", True, "2025-07-01"),
    ]
    new_id = next(link["successor_id"] for link in body["successors"] if link["is_default"])
    back = get(client, f"{new_id}/lineage").json()
    assert [link["predecessor_id"] for link in back["predecessors"]] == [tree["quang_an"].pk]
    assert back["successors"] == []


# --- who may read -----------------------------------------------------------------------------

ENDPOINTS = ["{id}", "{id}/subtree", "{id}/ancestors", "{id}/lineage"]


@pytest.mark.parametrize("endpoint", ["", *ENDPOINTS])
def test_anonymous_gets_401(tree, client, endpoint):
    response = get(client, endpoint.format(id=tree["bo_de"].pk))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("outside", ["tay_ho", "quang_an", "city"])
def test_unit_outside_the_scope_is_a_404_like_a_missing_one(
    tree, officer_client, endpoint, outside
):
    response = get(officer_client, endpoint.format(id=tree[outside].pk))
    missing = get(officer_client, endpoint.format(id=987654321))
    assert response.status_code == missing.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == missing.json()
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("role", ["citizen", "expired officer"])
def test_users_without_a_viewing_role_see_nothing(tree, client, role):
    user = UserFactory(username="someone")
    if role == "citizen":
        grant(user, "citizen", tree["long_bien"])
    else:
        grant(user, "officer", tree["long_bien"], valid_to=timezone.localdate() - dt.timedelta(1))
    client.force_login(user)
    assert unit_ids(get(client)) == []
    assert get(client, f"{tree['bo_de'].pk}").status_code == 404


# --- query counts: the same with 1 and with 3 items ------------------------------------------


def count_queries(client, path: str, expected_items: int, **params) -> int:
    warm(client)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, path, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    if isinstance(body, list):  # ancestors
        items = body
    else:
        items = body["successors"] if "successors" in body else body["items"]
    assert len(items) == expected_items
    return len(queries)


@pytest.fixture
def quang_an_client(client, tree):
    user = UserFactory(username="qa-officer", roles=[("officer", tree["quang_an"])])
    client.force_login(user)
    return client


def add_groups(tree) -> None:
    for n in (1, 2):
        make_unit(f"Tổ {n}", parent=tree["quang_an"], code=f"QA-{n}")


def test_list_query_count(tree, quang_an_client):
    one = count_queries(quang_an_client, "", 1)
    add_groups(tree)
    assert count_queries(quang_an_client, "", 3) == one


def test_subtree_query_count(tree, quang_an_client):
    path = f"{tree['quang_an'].pk}/subtree"
    one = count_queries(quang_an_client, path, 1)
    add_groups(tree)
    assert count_queries(quang_an_client, path, 3) == one


def test_ancestors_query_count(tree, admin_user, client):
    client.force_login(admin_user)
    one = count_queries(client, f"{tree['long_bien'].pk}/ancestors", 1)
    assert count_queries(client, f"{tree['group'].pk}/ancestors", 3) == one


def test_lineage_query_count(tree, superuser, admin_user, client):
    restructure(superuser, {"op": "rename", "unit": tree["phuc_loi"].pk, "name": "Phúc Lợi"})
    restructure(
        superuser,
        {
            "op": "split",
            "unit": tree["quang_an"].pk,
            "into": [
                {"code": f"QA{i}", "name": f"Quảng An {i}", "share": share, "is_default": i == 0}
                for i, share in enumerate(["0.5", "0.25", "0.25"])
            ],
        },
    )
    client.force_login(admin_user)
    one = count_queries(client, f"{tree['phuc_loi'].pk}/lineage", 1)
    assert count_queries(client, f"{tree['quang_an'].pk}/lineage", 3) == one
