"""The API: results for staff in scope, idempotent batches, public results and web answers."""

import json
import uuid

import pytest

from tests.surveys.helpers import commune, forms, key, launch, staff
from thidua.surveys import services
from thidua.surveys.models import FrameArea, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def fielded():
    city, district, ward, areas = commune(areas=[40, 60])
    officer = staff(ward, username="ward-officer")
    survey = launch(officer, ward)
    return {"ward": ward, "areas": areas, "officer": officer, "survey": survey}


def _post(client, url, payload):
    return client.post(url, json.dumps(payload, default=str), content_type="application/json")


def test_a_batch_sent_three_times_is_stored_once(client, fielded):
    survey, area = fielded["survey"], fielded["areas"][0]
    client.force_login(fielded["officer"])
    payload = {"area_id": area.pk, "client_id": str(uuid.uuid4()), "forms": forms(7, 3)}
    answers = [_post(client, f"/api/v1/surveys/{survey.pk}/batches", payload) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert {a.json()["answered_in_area"] for a in answers} == {10}
    assert Response.objects.count() == 10
    results = client.get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert results["total"]["answered"] == 10
    assert results["total"]["verdict"] == "not_eligible"
    assert results["weighted_label"] != results["unweighted_label"]


def test_a_bad_batch_answers_422_and_writes_nothing(client, fielded):
    survey, area = fielded["survey"], fielded["areas"][0]
    client.force_login(fielded["officer"])
    rows = forms(2) + [{"client_id": str(uuid.uuid4()), "answers": {"Q1": "5", "Q3": "a"}}]
    response = _post(
        client,
        f"/api/v1/surveys/{survey.pk}/batches",
        {"area_id": area.pk, "client_id": str(uuid.uuid4()), "forms": rows},
    )
    assert response.status_code == 422
    assert not Response.objects.exists()


def test_a_committee_elsewhere_is_refused(client, fielded):
    survey = fielded["survey"]
    committee = staff(fielded["areas"][1], username="committee-2")
    client.force_login(committee)
    response = _post(
        client,
        f"/api/v1/surveys/{survey.pk}/batches",
        {"area_id": fielded["areas"][0].pk, "client_id": str(uuid.uuid4()), "forms": forms(1)},
    )
    assert response.status_code == 404
    assert not Response.objects.exists()
    assert client.get("/api/v1/surveys/").status_code == 200


def test_anonymous_callers_get_only_public_results(client, fielded):
    survey, officer = fielded["survey"], fielded["officer"]
    assert client.get(f"/api/v1/surveys/{survey.pk}/results").status_code == 401
    frame = FrameArea.objects.filter(survey=survey).first()
    body = {"client_id": str(uuid.uuid4()), "answers": {"Q1": "4"}, "form_code": frame.form_code}
    assert _post(client, f"/api/v1/surveys/{survey.pk}/answers", body).status_code == 201
    assert _post(client, f"/api/v1/surveys/{survey.pk}/answers", body).status_code == 201
    assert Response.objects.count() == 1
    assert client.get(f"/api/v1/surveys/{survey.pk}/public-results").json()["posted"] is False
    key(officer, survey, fielded["areas"][0], forms(20, 6))
    services.close_survey(officer, survey=survey)
    services.tally_survey(officer, survey=survey)
    services.post_results(officer, survey=survey)
    data = client.get(f"/api/v1/surveys/{survey.pk}/public-results").json()
    assert data["posted"] and data["questions"]
    assert all(q["code"] != "Q4" for q in data["questions"])


def test_launching_through_the_api_and_a_committee_refused(client, fielded):
    ward, area = fielded["ward"], fielded["areas"][0]
    body = {
        "title": "Khảo sát lần 2",
        "unit_id": ward.pk,
        "opens_on": "2024-09-01",
        "closes_on": "2024-09-10",
        "mode": "household",
    }
    committee = staff(area, username="committee-api")
    client.force_login(committee)
    assert _post(client, "/api/v1/surveys/", body).status_code == 404
    client.force_login(fielded["officer"])
    response = _post(client, "/api/v1/surveys/", body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "fielding"
    bad = _post(client, "/api/v1/surveys/", dict(body, closes_on="2024-08-01"))
    assert bad.status_code == 422
