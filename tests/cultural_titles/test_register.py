"""The household register's pages and API: an area's list (search, pages), add, correct, move,
close, and a household's titles year by year."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.cultural_titles.conftest import YEAR
from tests.cultural_titles.test_services import posted
from tests.factories import UserFactory, grant
from thidua.core.models import AuditEvent
from thidua.org.models import Household

API = "/api/v1/cultural-titles/register"


def test_the_area_list_searches_without_diacritics_and_pages(client, committee, ward, households):
    client.force_login(committee)
    url = reverse("cultural_titles:register", args=[ward["a"].pk])
    body = client.get(url).content.decode()
    assert body.count("/cultural/register/households/") == 5
    found = client.get(url, {"q": "tran thi binh"}).content.decode()
    assert "Trần Thị Bình 1" in found and "Nguyễn Văn An" not in found
    # the other area's households are not in this list
    assert "HB001" not in body


def test_a_committee_adds_corrects_moves_and_closes_a_household(client, committee, ward, chairman):
    # the committee of area A manages A only: the move to B is by the ward (the chairman)
    client.force_login(committee)
    response = client.post(
        reverse("cultural_titles:register", args=[ward["a"].pk]),
        {
            "code": "HA100",
            "head_name": "đỗ  thị hoa",
            "address": "Số 9",
            "members": "3",
            "id_number": "001234567890",
        },
    )
    household = Household.objects.get(code="HA100")
    assert response.status_code == 302 and household.head_name == "đỗ thị hoa"
    assert household.id_number_digest and "001234567890" not in json.dumps(
        list(AuditEvent.objects.values_list("data", flat=True)), default=str
    )
    url = reverse("cultural_titles:household", args=[household.pk])
    client.post(
        url,
        {
            "action": "edit",
            "code": "HA100",
            "head_name": "Đỗ Thị Hoa",
            "address": "Số 11",
            "members": "4",
        },
    )
    household.refresh_from_db()
    assert (household.address, household.members) == ("Số 11", 4)
    client.force_login(chairman)
    client.post(url, {"action": "move", "to_unit": ward["b"].pk, "moved_on": f"15/10/{YEAR}"})
    household.refresh_from_db()
    assert household.unit == ward["b"] and household.moves.count() == 1
    client.post(url, {"action": "close", "closed_on": f"20/10/{YEAR}", "reason": "Chuyển đi"})
    household.refresh_from_db()
    assert household.status == "moved" and household.attributes["closed_reason"] == "Chuyển đi"
    assert set(
        AuditEvent.objects.filter(verb__startswith="org.").values_list("verb", flat=True)
    ) >= {"org.add_household", "org.edit_household", "org.move_household", "org.close_household"}


def test_a_duplicate_code_is_refused_and_nothing_written(client, committee, ward, households):
    client.force_login(committee)
    response = client.post(
        reverse("cultural_titles:register", args=[ward["a"].pk]),
        {"code": "HA001", "head_name": "Người Mới", "members": "1"},
    )
    assert response.status_code == 400
    assert Household.objects.filter(code="HA001").count() == 1


def test_the_household_page_shows_its_titles_under_the_area_of_that_year(
    client, committee, chairman, area_a
):
    area_a = posted(committee, area_a, no_for={"HA005"})
    household = Household.objects.get(code="HA005")
    client.force_login(committee)
    body = client.get(reverse("cultural_titles:household", args=[household.pk])).content.decode()
    assert str(YEAR) in body and area_a.area.name in body and "Vi phạm quy định" in body


def test_refusals_on_the_pages_and_the_api(client, ward, households, outsider):
    household = Household.objects.get(code="HA001")
    member = UserFactory(username="council")
    grant(member, "council_member", ward["ward"])
    other_area = UserFactory(username="to2")
    grant(other_area, "officer", ward["b"])
    editor = UserFactory(username="editor-a")
    grant(editor, "editor", ward["a"])  # sees names, manages nothing
    for user, status in ((outsider, 404), (member, 404), (other_area, 404), (editor, 403)):
        c = Client()
        c.force_login(user)
        page = c.post(
            reverse("cultural_titles:household", args=[household.pk]),
            {"action": "close", "closed_on": f"01/09/{YEAR}", "reason": "x"},
        )
        api = c.post(
            f"{API}/households/{household.pk}/close/",
            {"closed_on": f"{YEAR}-09-01", "reason": "x"},
            content_type="application/json",
        )
        add = c.post(
            f"{API}/areas/{ward['a'].pk}/households/",
            {"code": "HX1", "head_name": "X"},
            content_type="application/json",
        )
        assert (page.status_code, api.status_code, add.status_code) == (status,) * 3, user
    household.refresh_from_db()
    assert household.is_active and not Household.objects.filter(code="HX1").exists()


def test_the_api_lists_adds_moves_and_shows_titles(ward, chairman, households):
    c = Client()
    c.force_login(chairman)
    listed = c.get(f"{API}/areas/{ward['a'].pk}/households/", {"q": "an"}).json()
    assert [h["code"] for h in listed["items"]] == ["HA001"] or listed["count"] >= 1
    created = c.post(
        f"{API}/areas/{ward['a'].pk}/households/",
        {"code": "HA200", "head_name": "Vũ Văn Nam", "members": 2},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["area"]["id"] == ward["a"].pk
    pk = created.json()["id"]
    moved = c.post(
        f"{API}/households/{pk}/move/",
        {"to_unit": ward["b"].pk, "moved_on": f"{YEAR}-10-15"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["area"]["id"] == ward["b"].pk
    edited = c.put(
        f"{API}/households/{pk}/",
        {"code": "HA200", "head_name": "Vũ Văn Nam", "members": 5},
        content_type="application/json",
    )
    assert edited.json()["members"] == 5 and edited.json()["titles"] == []


def test_the_grid_api_saves_like_the_page(ward, committee, area_a, outsider):
    households = list(Household.objects.filter(unit=ward["a"]))
    codes = [item["code"] for item in area_a.round.criteria.mandatory]
    rows = [
        {"household_id": h.pk, "answers": {c: True for c in codes}, "eligible": True}
        for h in households
    ]
    refused = Client()
    refused.force_login(outsider)
    url = f"/api/v1/cultural-titles/areas/{area_a.pk}/grid/"
    assert refused.post(url, rows, content_type="application/json").status_code == 404
    c = Client()
    c.force_login(committee)
    saved = c.post(url, rows, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["eligible"] == 5
    rows[0]["answers"][codes[0]] = False
    rejected = c.post(url, rows, content_type="application/json")
    assert rejected.status_code in (400, 422)


@pytest.fixture(autouse=True)
def _no_today_drift(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(YEAR, 10, 1))
