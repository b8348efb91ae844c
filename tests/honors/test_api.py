import datetime as dt

import pytest

from tests.factories.honors import approve, nominate
from thidua.honors import services
from thidua.honors.models import Certificate

pytestmark = pytest.mark.django_db


def test_catalogue_and_rounds(client, people, city_round):
    client.force_login(people["bode_officer"])
    catalogue = client.get("/api/v1/honors/catalogue").json()
    fighter = next(a for a in catalogue if a["code"] == "chien-si-thi-dua-co-so")
    assert fighter["rule"]["prerequisites"] == ["lao-dong-tien-tien"]
    old = client.get("/api/v1/honors/catalogue", {"on": "2024-05-01"}).json()
    assert "98/2023" in old[0]["rule"]["legal_basis"]
    rounds = client.get("/api/v1/honors/rounds").json()
    assert [r["id"] for r in rounds["items"]] == [city_round.pk]


def test_nomination_flow_and_scope(client, tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    client.force_login(people["bode_officer"])
    listed = client.get("/api/v1/honors/nominations").json()
    assert listed["items"][0]["award_type"] == "bang-khen"
    response = client.post(f"/api/v1/honors/nominations/{nomination.pk}/submit")
    assert response.json()["status"] == "submitted"
    assert client.post(f"/api/v1/honors/nominations/{nomination.pk}/endorse").status_code == 403
    client.force_login(people["bode_leader"])
    response = client.post(
        f"/api/v1/honors/nominations/{nomination.pk}/return",
        {"reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    client.force_login(people["quangan_officer"])
    assert client.get(f"/api/v1/honors/nominations/{nomination.pk}").status_code == 404


def test_decision_and_public_verification(client, tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    decision = services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="3/QĐ",
        signed_on=dt.date(2026, 3, 1),
        signer="A",
        nominations=[nomination],
    )
    client.force_login(people["city_leader"])
    body = client.get(f"/api/v1/honors/decisions/{decision.pk}").json()
    assert body["total_cash"] in ("2340000", 2340000)
    client.logout()
    certificate = Certificate.objects.get()
    url = f"/api/v1/honors/verify/{certificate.serial}"
    assert client.get(url, {"h": certificate.content_hash}).json()["status"] == "valid"
    bad = client.get(url, {"h": "0" * 64}).json()
    assert bad["status"] == "wrong_code" and not bad.get("recipient")
