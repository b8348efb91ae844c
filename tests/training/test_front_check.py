"""The public certificate check typed by hand (the front door's box, the public menu's page)
finds training certificates too; award certificates are checked by honours as before."""

import pytest
from django.urls import reverse

from thidua.training import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(city_officer, course, learners_of):
    lan, *_ = learners_of(course)
    for session in course.sessions.all():
        services.record_attendance(city_officer, course=course, session=session, present=[lan])
    services.close_course(city_officer, course=course)
    (issued,) = services.issue_certificates(city_officer, course=course)
    return issued


def test_the_typed_check_finds_a_training_certificate(client, certificate):
    url = reverse("public_honors:verify_form")
    assert url == reverse("certificate_check")  # every form pointing at honours' check lands here
    # as a phone types it: capitals everywhere
    response = client.get(url, {"serial": certificate.number, "code": certificate.code.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("public_training:check", args=[certificate.code])
    page = client.get(response["Location"]).content.decode()
    assert "Nguyễn Thị Lan" in page and 'data-status="valid"' in page


def test_a_wrong_code_or_an_award_number_goes_to_honours_check(client, certificate):
    url = reverse("certificate_check")
    wrong = client.get(url, {"serial": certificate.number, "code": "ABCD-EFGH"})
    assert wrong.status_code == 200
    assert "Nguyễn Thị Lan" not in wrong.content.decode()
    award = client.get(url, {"serial": "KT-2026-000001", "code": "ABCD-EFGH"})
    assert award.status_code == 200
    assert client.get(reverse("core:home")).status_code == 200


def test_the_certificate_page_prints_its_check_code(client, city_officer, certificate):
    client.force_login(city_officer)
    page = client.get(
        reverse("training:certificate", args=[certificate.enrolment.course_id, certificate.pk])
    ).content.decode()
    assert certificate.code in page and certificate.number in page
