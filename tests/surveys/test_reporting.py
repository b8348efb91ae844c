"""Reported up: the posted results go to the launching unit's parent, wait in its officers'
inbox (with a notification) until received, and show on its page of reported results."""

import pytest
from django.urls import reverse

from tests.surveys.helpers import commune, forms, key, launch, staff
from thidua.core import work
from thidua.core.models import Notification
from thidua.surveys import services
from thidua.surveys.models import Survey, SurveyReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def posted():
    city, district, ward, areas = commune(areas=[40, 60])
    ward_officer = staff(ward, username="ward-officer")
    district_officer = staff(district, username="district-officer")
    survey = launch(ward_officer, ward)
    key(ward_officer, survey, areas[0], forms(30, 2))
    key(ward_officer, survey, areas[1], forms(50, 5))
    services.close_survey(ward_officer, survey=survey)
    services.tally_survey(ward_officer, survey=survey)
    # posting renders the PDF (tested elsewhere): here only its state matters
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.POSTED)
    survey.refresh_from_db()
    return {
        "city": city,
        "district": district,
        "ward": ward,
        "survey": survey,
        "ward_officer": ward_officer,
        "district_officer": district_officer,
    }


def test_reporting_sends_the_results_to_the_parents_inbox_until_received(client, posted):
    survey, district_officer = posted["survey"], posted["district_officer"]
    services.report_survey(posted["ward_officer"], survey=survey)
    report = SurveyReport.objects.get(survey=survey)
    assert report.to_unit == posted["district"]
    assert report.results["households"] == 100 and report.results["answered"] == 87
    assert report.results["verdict"] == "passed"
    assert {row["unit"] for row in report.results["rows"]} == {"Thôn 1", "Thôn 2"}
    note = Notification.objects.get(user=district_officer)
    assert survey.title in note.message and note.link == reverse("surveys:reports")
    assert not Notification.objects.filter(user=posted["ward_officer"]).exists()
    items = work.inbox(district_officer).page.object_list
    assert [i.url for i in items if survey.title in i.title] == [reverse("surveys:reports")]
    assert not [
        i
        for i in work.inbox(posted["ward_officer"]).page.object_list
        if i.kind == "surveys.receiving"
    ]

    client.force_login(district_officer)
    page = client.get(reverse("surveys:reports")).content.decode()
    assert survey.title in page and "87" in page and "passed" in page
    detail = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "Reported to Huyện 10507" in detail and "Not received yet." in detail
    client.post(reverse("surveys:receive_report", args=[report.pk]))
    report.refresh_from_db()
    assert report.received_by == district_officer and report.received_at is not None
    assert not [
        i for i in work.inbox(district_officer).page.object_list if i.kind == "surveys.receiving"
    ]


def test_the_reported_figures_stay_as_reported(posted):
    survey = posted["survey"]
    services.report_survey(posted["ward_officer"], survey=survey)
    before = SurveyReport.objects.get(survey=survey).results
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.TALLIED)
    survey.tallies.update(valid=0)
    assert SurveyReport.objects.get(survey=survey).results == before


def test_with_nobody_at_the_parent_the_report_goes_further_up(posted):
    from thidua.accounts.models import RoleGrant

    RoleGrant.objects.filter(user=posted["district_officer"]).delete()
    city_officer = staff(posted["city"], username="city-officer")
    services.report_survey(posted["ward_officer"], survey=posted["survey"])
    assert SurveyReport.objects.get().to_unit == posted["city"]
    assert Notification.objects.filter(user=city_officer).count() == 1


def test_only_the_receiving_units_managers_receive_on_the_page_and_the_api(client, posted):
    services.report_survey(posted["ward_officer"], survey=posted["survey"])
    report = SurveyReport.objects.get()
    viewer = staff(posted["district"], "council_member", username="district-viewer")
    stranger = staff(commune(areas=[5], name="Xã Khác", code="10599")[1], username="stranger")
    url = reverse("surveys:receive_report", args=[report.pk])
    api = f"/api/v1/surveys/reports/{report.pk}/receive"
    client.force_login(viewer)
    assert client.get(reverse("surveys:reports")).status_code == 200
    assert client.post(url).status_code == 403
    assert client.post(api).status_code == 403
    client.force_login(stranger)
    assert posted["survey"].title not in client.get(reverse("surveys:reports")).content.decode()
    assert client.post(url).status_code == 404
    assert client.post(api).status_code == 404
    assert client.get("/api/v1/surveys/reports").json()["count"] == 0
    # the reporting ward itself only sends: it does not receive its own results
    client.force_login(posted["ward_officer"])
    assert client.post(url).status_code == 404
    report.refresh_from_db()
    assert report.received_at is None
    client.force_login(posted["district_officer"])
    listed = client.get("/api/v1/surveys/reports").json()["items"]
    assert listed[0]["results"]["answered"] == 87 and listed[0]["received_at"] is None
    assert client.post(api).json()["received_at"] is not None
