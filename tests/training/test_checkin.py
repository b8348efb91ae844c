"""The check-in at the door: the session's QR (today only) scanned by a learner, the learner's
code scanned or typed by an organiser; idempotent; refusals on the page and the API."""

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from thidua.core.models import AuditEvent
from thidua.training import checkin, services
from thidua.training.models import Attendance, Enrolment

pytestmark = pytest.mark.django_db


def _today(course):
    return course.sessions.get(held_on=timezone.localdate())


def test_a_learner_checks_in_by_scanning_the_door_qr_once(
    client, city_officer, today_course, learners_of, learner_user
):
    mine, *_others = learners_of(today_course)
    session = _today(today_course)
    client.force_login(city_officer)
    door = client.get(reverse("training:door", args=[today_course.pk, session.pk]))
    assert door.status_code == 200
    url = reverse("training:self_check_in", args=[checkin.door_token(session)])
    assert url in door.content.decode()

    client.force_login(learner_user)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="check-in-button"' in page.content.decode()
    assert not Attendance.objects.exists()  # opening the page writes nothing
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200  # twice: still one presence
    attendance = Attendance.objects.get()
    assert (attendance.enrolment, attendance.session, attendance.present) == (mine, session, True)
    assert attendance.checked_in_at is not None
    mine.refresh_from_db()
    assert mine.status == Enrolment.Status.ATTENDED
    assert AuditEvent.objects.filter(verb="training.check_in").count() == 1


def test_the_door_qr_works_on_its_day_only_and_cannot_be_forged(
    client, today_course, learners_of, learner_user
):
    learners_of(today_course)
    yesterday = today_course.sessions.get(held_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(learner_user)
    stale = reverse("training:self_check_in", args=[checkin.door_token(yesterday)])
    assert client.get(stale).status_code == 410
    assert client.post(stale).status_code == 410
    forged = signing.Signer(salt="x").sign_object(
        {"s": yesterday.pk, "d": timezone.localdate().isoformat()}
    )
    assert client.post(reverse("training:self_check_in", args=[forged])).status_code == 404
    assert not Attendance.objects.exists()


def test_someone_not_enrolled_cannot_check_in_with_the_door_qr(client, today_course, learners_of):
    learners_of(today_course)
    session = _today(today_course)
    client.force_login(UserFactory(username="passer-by"))
    url = reverse("training:self_check_in", args=[checkin.door_token(session)])
    assert client.post(url).status_code == 403
    response = client.post(
        "/api/v1/training/check-in",
        {"token": checkin.door_token(session)},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_an_organiser_checks_learners_in_from_their_codes(
    client, city_officer, today_course, learners_of
):
    first, second, _third = learners_of(today_course)
    session = _today(today_course)
    client.force_login(city_officer)
    url = reverse("training:door", args=[today_course.pk, session.pk])
    code = checkin.learner_code(first)
    assert client.post(url, {"code": code}).status_code == 302
    assert client.post(url, {"code": code.upper()}).status_code == 302  # again, capitalised
    # a whole scanned address holding the code works too
    client.post(
        url, {"code": f"https://example.org/training/mine/?c={checkin.learner_code(second)}"}
    )
    assert set(Attendance.objects.filter(present=True).values_list("enrolment", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert AuditEvent.objects.filter(verb="training.check_in").count() == 2
    page = client.get(url).content.decode()
    assert "Nguyễn Thị Lan" in page and "Trần Văn Hùng" in page


def test_a_bad_or_foreign_code_is_refused_and_writes_nothing(
    client, city_officer, today_course, course, learners_of
):
    learners_of(today_course)
    (foreign,) = services.enrol(
        city_officer,
        course=course,
        officers=[
            services.record_officer(city_officer, unit=course.owner_unit, full_name="Ngô An")
        ],
    )
    session = _today(today_course)
    client.force_login(city_officer)
    url = reverse("training:door", args=[today_course.pk, session.pk])
    for code in ("12-deadbeef", checkin.learner_code(foreign), "xin chào"):
        response = client.post(url, {"code": code}, follow=True)
        assert "Mã này không phải của học viên nào" in response.content.decode()
    response = client.post(
        f"/api/v1/training/{today_course.pk}/sessions/{session.pk}/check-in",
        {"code": checkin.learner_code(foreign)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Attendance.objects.exists()


def test_check_in_is_refused_for_another_day_or_an_excused_learner(
    city_officer, today_course, learners_of
):
    first, second, _third = learners_of(today_course)
    tomorrow = today_course.sessions.get(held_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.check_in(city_officer, session=tomorrow, enrolment=first)
    services.set_status(city_officer, enrolment=second, status="excused", reason="Đi công tác")
    with pytest.raises(ValidationError):
        services.check_in(city_officer, session=_today(today_course), enrolment=second)
    assert not Attendance.objects.exists()


def test_the_api_checks_in_idempotently(
    client, city_officer, today_course, learners_of, learner_user
):
    first, *_ = learners_of(today_course)
    session = _today(today_course)
    client.force_login(city_officer)
    url = f"/api/v1/training/{today_course.pk}/sessions/{session.pk}/check-in"
    answer = client.post(
        url, {"code": checkin.learner_code(first)}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["new"] is True
    again = client.post(url, {"code": checkin.learner_code(first)}, content_type="application/json")
    assert again.json()["new"] is False
    client.force_login(learner_user)
    mine = client.post(
        "/api/v1/training/check-in",
        {"token": checkin.door_token(session)},
        content_type="application/json",
    )
    assert mine.status_code == 200 and mine.json()["new"] is False
    assert Attendance.objects.count() == 1


def test_who_may_not_organise_is_refused_on_the_page_and_the_api(
    client, viewer, outsider, today_course, learners_of
):
    first, *_ = learners_of(today_course)
    session = _today(today_course)
    page = reverse("training:door", args=[today_course.pk, session.pk])
    api = f"/api/v1/training/{today_course.pk}/sessions/{session.pk}/check-in"
    body = {"code": checkin.learner_code(first)}
    for user, status in ((viewer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.get(page).status_code == status
        assert client.post(page, body).status_code == status
        assert client.post(api, body, content_type="application/json").status_code == status
    with pytest.raises(PermissionDenied):
        services.check_in(viewer, session=session, enrolment=first)
    assert not Attendance.objects.exists()


def test_a_learner_sees_their_own_code(client, today_course, learners_of, learner_user):
    first, *_ = learners_of(today_course)
    client.force_login(learner_user)
    page = client.get(reverse("training:mine")).content.decode()
    assert checkin.learner_code(first) in page
    mine = client.get(reverse("my_page")).content.decode()
    assert today_course.title in mine and reverse("training:mine") in mine
    assert checkin.read_learner_code(checkin.learner_code(first)) == first.pk


def test_a_new_tick_of_the_sheet_keeps_the_door_check_ins(city_officer, today_course, learners_of):
    first, second, _third = learners_of(today_course)
    session = _today(today_course)
    services.check_in(city_officer, session=session, enrolment=first)
    services.record_attendance(
        city_officer, course=today_course, session=session, present=[first, second]
    )
    kept = Attendance.objects.get(enrolment=first)
    assert kept.present and kept.checked_in_at is not None


def test_the_learners_cards_carry_their_codes(client, city_officer, viewer, course, learners_of):
    from io import BytesIO

    from pypdf import PdfReader

    first, *_ = learners_of(course)
    url = reverse("training:cards", args=[course.pk])
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    client.force_login(city_officer)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert checkin.learner_code(first) in text
