"""The statistics pages: the menu entry, the list, creating reports, the sign-off buttons, and
who is refused."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory
from tests.parity import API, answers, assert_parity
from tests.reports.conftest import YEAR
from thidua.reports.models import StatReport

pytestmark = pytest.mark.django_db


def test_the_staff_menu_links_the_statistical_reports(client, staff):
    client.force_login(staff["officer"])
    assert 'href="/reports/"' in client.get("/staff/").content.decode()
    client.force_login(staff["citizen"])
    assert client.get("/reports/").status_code == 403


def test_an_officer_computes_the_forms_and_walks_them_to_submission(
    client, regimes, tree, staff, ten_certificates
):
    client.force_login(staff["officer"])
    page = client.get("/reports/new/")
    assert page.status_code == 200
    response = client.post(
        "/reports/new/",
        {"unit": tree["city"].pk, "year": YEAR, "regime": "tt-02-2023", "receiving_unit": ""},
    )
    assert response.status_code == 302
    assert StatReport.objects.filter(unit=tree["city"], year=YEAR).count() == 4
    report = StatReport.objects.get(form__code="0603", unit=tree["city"])
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'href="/reports/{report.pk}/cells/05/2/"' in page
    assert 'data-testid="check"' in page and 'data-testid="sign"' not in page
    client.post(f"/reports/{report.pk}/check/")
    report.refresh_from_db()
    assert report.state == "checked"
    client.post(f"/reports/{report.pk}/sign/")  # an officer may not sign
    report.refresh_from_db()
    assert report.state == "checked"
    client.force_login(staff["leader"])
    assert 'data-testid="sign"' in client.get(f"/reports/{report.pk}/").content.decode()
    client.post(f"/reports/{report.pk}/sign/")
    client.post(f"/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.state == "submitted" and report.xlsx_hash
    # a sent report says there is nothing left to do, not an empty "Sign-off" section
    assert 'data-testid="nothing-left"' in client.get(f"/reports/{report.pk}/").content.decode()
    frozen = client.get(f"/reports/{report.pk}/form.xlsx", follow=True)
    assert frozen.status_code == 200
    listing = client.get("/reports/").content.decode()
    assert f'href="/reports/{report.pk}/"' in listing


def test_a_ward_officer_cannot_see_the_city_report_nor_compute_one_for_the_city(
    client, tree, staff, city_reports
):
    report = city_reports["0601"]
    client.force_login(staff["ward_officer"])
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/cells/01/1/").status_code == 404
    assert client.post(f"/reports/{report.pk}/check/").status_code == 404
    assert client.get(f"{API}/reports/{report.pk}/cells/01/1").status_code == 404
    response = client.post(
        f"{API}/reports/",
        {"unit_id": tree["city"].pk, "year": YEAR, "regime": "tt-02-2023"},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert client.post(f"{API}/reports/{report.pk}/check").status_code == 404


def test_an_editor_sees_reports_but_cannot_check_or_adjust_them(client, staff, city_reports):
    report = city_reports["0601"]
    client.force_login(staff["editor"])
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    assert client.post(f"{API}/reports/{report.pk}/check").status_code == 403
    response = client.post(
        f"{API}/reports/{report.pk}/adjustments",
        {"row": "01", "column": "1", "delta": 1, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    client.post(f"/reports/{report.pk}/check/")
    report.refresh_from_db()
    assert report.state == "draft"


def test_the_page_and_the_api_refuse_the_same_people(tree, staff, city_reports, superuser):
    report = city_reports["0603"]
    people = {
        "admin": superuser,
        "city_officer": staff["officer"],
        "ward_officer": staff["ward_officer"],
        "citizen": UserFactory(username="reports-citizen"),
        "anonymous": AnonymousUser(),
    }
    seen = answers(people, f"/reports/{report.pk}/", f"{API}/reports/{report.pk}")
    assert_parity(seen, allowed={"admin", "city_officer"})
    seen = answers(people, "/reports/", f"{API}/reports/")
    assert_parity(seen, allowed={"admin", "city_officer", "ward_officer"})


def test_the_api_computes_checks_signs_and_submits(client, regimes, tree, staff, seven_movements):
    client.force_login(staff["officer"])
    created = client.post(
        f"{API}/reports/",
        {"unit_id": tree["city"].pk, "year": YEAR, "regime": "tt-02-2023"},
        content_type="application/json",
    )
    assert created.status_code == 201
    form_0601 = next(r for r in created.json() if r["form_code"] == "0601")
    cells = {(c["row"], c["column"]): c["reported"] for c in form_0601["cells"]}
    assert cells[("01", "1")] == 7 and cells[("04", "1")] == 1 and form_0601["passes"]
    pk = form_0601["id"]
    assert client.post(f"{API}/reports/{pk}/check").json()["state"] == "checked"
    client.force_login(staff["leader"])
    assert client.post(f"{API}/reports/{pk}/sign").json()["state"] == "signed"
    submitted = client.post(f"{API}/reports/{pk}/submit").json()
    assert submitted["state"] == "submitted" and len(submitted["xlsx_hash"]) == 64
    listed = client.get(f"{API}/reports/").json()
    assert listed["count"] == 4


def test_reports_waiting_for_a_step_are_work_items(client, staff, city_reports):
    from thidua.core.work import WorkFilter, inbox  # noqa: PLC0415

    assert inbox(staff["officer"], work_filter=WorkFilter()).page.paginator.count >= 4
    client.force_login(staff["officer"])
    assert f"/reports/{city_reports['0601'].pk}/" in client.get("/work/").content.decode()
