import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.training import services
from thidua.training.models import Certificate, Enrolment, TargetRole


@pytest.fixture
def heads(city_officer, tree):
    return [
        services.record_officer(
            city_officer,
            unit=tree["group"],
            full_name=f"Tổ trưởng {n}",
            position="Trưởng ban công tác Mặt trận",
            role=TargetRole.AREA_HEAD,
        )
        for n in range(3)
    ]


def test_an_officer_runs_a_course_from_the_pages(client, city_officer, course, heads, tree):
    client.force_login(city_officer)
    detail = reverse("training:detail", args=[course.pk])
    response = client.post(reverse("training:enrol", args=[course.pk]), {"unit": tree["bo_de"].pk})
    assert response.status_code == 302
    enrolments = list(Enrolment.objects.filter(course=course))
    assert len(enrolments) == 3
    for session in course.sessions.all():
        url = reverse("training:attendance", args=[course.pk, session.pk])
        assert client.get(url).status_code == 200
        client.post(url, {"present": [e.pk for e in enrolments[:2]]})
    client.post(reverse("training:close", args=[course.pk]))
    client.post(reverse("training:issue", args=[course.pk]))
    assert Certificate.objects.count() == 2
    page = client.get(detail).content.decode()
    assert "0001/2026/GCN-TH" in page
    certificate = Certificate.objects.first()
    client.logout()
    check = client.get(reverse("public_training:check", args=[certificate.code]))
    assert check.status_code == 200
    assert certificate.enrolment.officer.full_name in check.content.decode()
    assert client.get(reverse("public_training:check", args=["nope"])).status_code == 404


def test_exports(client, city_officer, course, heads):
    client.force_login(city_officer)
    services.enrol(city_officer, course=course, officers=heads)
    session = course.sessions.first()
    pdf = client.get(reverse("training:sign_in", args=[course.pk, session.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("training:attendance_xlsx", args=[course.pk]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_coverage_page_lists_the_missing(client, city_officer, course, heads, tree):
    client.force_login(city_officer)
    response = client.get(
        reverse("training:coverage"),
        {"unit": tree["bo_de"].pk, "since": "2026-01-01", "until": "2026-12-31"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tổ trưởng 2" in page


def test_an_officer_outside_the_organiser_is_refused(client, outsider, course):
    client.force_login(outsider)
    assert client.get(reverse("training:detail", args=[course.pk])).status_code == 404
    response = client.post(reverse("training:close", args=[course.pk]))
    assert response.status_code == 404
    assert client.get(reverse("training:create")).status_code == 200  # own unit only
    assert not Enrolment.objects.exists()


def test_a_citizen_cannot_open_training_pages(client, db, tree):
    from tests.factories import UserFactory, grant

    citizen = UserFactory(username="citizen-1")
    grant(citizen, "citizen", tree["bo_de"])
    client.force_login(citizen)
    assert client.get(reverse("training:list")).status_code == 403
    assert client.get(reverse("training:create")).status_code == 403


def test_yearly_report_splits_learners(client, city_officer, course, heads):
    import io

    from openpyxl import load_workbook

    services.enrol(city_officer, course=course, officers=heads)
    client.force_login(city_officer)
    response = client.get(reverse("training:report"), {"year": "2026"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    courses, learners = workbook.worksheets
    assert courses.cell(2, 1).value == course.title and courses.cell(2, 6).value == 3
    payroll = [
        row
        for row in learners.iter_rows(min_row=2, values_only=True)
        if row[0] == learners.cell(learners.max_row, 1).value
    ]
    assert sum(row[2] for row in payroll) == 3


def test_certificate_batch_pdf(client, city_officer, course, heads):
    enrolments = services.enrol(city_officer, course=course, officers=heads)
    for session in course.sessions.all():
        services.record_attendance(
            city_officer, course=course, session=session, present=enrolments[:2]
        )
    services.close_course(city_officer, course=course)
    services.issue_certificates(city_officer, course=course)
    client.force_login(city_officer)
    response = client.get(reverse("training:certificate_batch", args=[course.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2


def test_objects_outside_the_users_tree_answer_404(client, outsider, city_officer, course, heads):
    client.force_login(outsider)
    session = course.sessions.first()
    for url in [
        reverse("training:officer", args=[heads[0].pk]),
        reverse("training:attendance", args=[course.pk, session.pk]),
        reverse("training:sign_in", args=[course.pk, session.pk]),
        reverse("training:attendance_xlsx", args=[course.pk]),
        reverse("training:certificate_batch", args=[course.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_course_list_query_count_does_not_grow(client, city_officer, tree):
    """The list costs the same number of queries with 1 course as with 3."""
    client.force_login(city_officer)
    counts = []
    for n in range(3):
        services.create_course(
            city_officer,
            owner_unit=tree["city"],
            title=f"Lớp {n}",
            level="city",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 1, 2),
        )
        if n in (0, 2):
            client.get(reverse("training:list"))  # warm the session and the caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("training:list"))
            assert response.status_code == 200
            assert response.content.decode().count("Lớp ") >= n + 1
            counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_officer_records_a_committee_head(client, city_officer, outsider, tree):
    from thidua.training.models import Officer

    client.force_login(city_officer)
    response = client.post(
        reverse("training:officers"),
        {
            "unit": tree["group"].pk,
            "full_name": "Nguyễn Thị Mai",
            "position": "Trưởng ban công tác Mặt trận",
            "role": TargetRole.AREA_HEAD,
            "gender": "female",
        },
    )
    assert response.status_code == 302
    officer = Officer.objects.get(full_name="Nguyễn Thị Mai")
    assert officer.unit == tree["group"] and not officer.on_payroll
    assert "Nguyễn Thị Mai" in client.get(reverse("training:officers")).content.decode()
    client.force_login(outsider)
    assert "Nguyễn Thị Mai" not in client.get(reverse("training:officers")).content.decode()
    response = client.post(
        reverse("training:officers"),
        {"unit": tree["group"].pk, "full_name": "X", "role": TargetRole.AREA_HEAD},
    )
    assert response.status_code == 200  # Bồ Đề is not among the outsider's units
    assert not Officer.objects.filter(full_name="X").exists()


def test_an_officer_is_moved_to_the_unit_where_they_serve_now(
    client, city_officer, outsider, viewer, course, heads, tree
):
    head = heads[0]
    (enrolment,) = services.enrol(city_officer, course=course, officers=[head])
    url = reverse("training:officer", args=[head.pk])
    body = {
        "unit": tree["phuc_loi"].pk,
        "full_name": head.full_name,
        "position": "Tổ trưởng tổ dân phố",
        "role": TargetRole.AREA_HEAD,
        "gender": "",
        "phone": "0912 000 111",
    }
    for user, status in ((viewer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(url, body).status_code == status
    head.refresh_from_db()
    assert head.unit == tree["group"]
    client.force_login(city_officer)
    assert client.post(url, body).status_code == 302
    head.refresh_from_db()
    assert (head.unit, head.position) == (tree["phuc_loi"], "Tổ trưởng tổ dân phố")
    enrolment.refresh_from_db()
    assert enrolment.unit == tree["group"]  # the course keeps the unit of its time


def test_enrolment_and_coverage_follow_the_course_target_roles(client, city_officer, tree):
    course = services.create_course(
        city_officer,
        owner_unit=tree["city"],
        title="Lớp Ban Thường trực",
        level="city",
        starts_on=dt.date(2026, 11, 10),
        ends_on=dt.date(2026, 11, 10),
        target_roles=[TargetRole.COMMUNE_STANDING],
    )
    standing = services.record_officer(
        city_officer, unit=tree["bo_de"], full_name="Phó Chủ tịch A", role="commune_standing"
    )
    services.record_officer(city_officer, unit=tree["group"], full_name="Tổ trưởng B")
    client.force_login(city_officer)
    client.post(reverse("training:enrol", args=[course.pk]), {"unit": tree["bo_de"].pk})
    assert [e.officer for e in Enrolment.objects.filter(course=course)] == [standing]
    page = client.get(
        reverse("training:coverage"),
        {
            "unit": tree["bo_de"].pk,
            "role": "commune_standing",
            "since": "2026-01-01",
            "until": "2026-12-31",
        },
    ).content.decode()
    assert "Phó Chủ tịch A" in page and "Tổ trưởng B" not in page


def test_the_course_page_lists_its_learners_a_page_at_a_time(
    client, city_officer, course, heads, monkeypatch
):
    from thidua.training import views

    monkeypatch.setattr(views, "LEARNERS_PER_PAGE", 2)
    services.enrol(city_officer, course=course, officers=heads)
    client.force_login(city_officer)
    url = reverse("training:detail", args=[course.pk])
    first = client.get(url).content.decode()
    assert first.count('data-testid="eligible"') == 2
    assert 'data-testid="enrolled">3' in first  # the count is the whole course's
    assert 'class="pagination"' in first and "page=2" in first
    assert client.get(url, {"page": 2}).content.decode().count('data-testid="eligible"') == 1


def test_meets_the_rule_reads_as_a_verdict_in_vietnamese(client, city_officer, course, heads):
    from django.utils import translation

    services.enrol(city_officer, course=course, officers=heads)
    client.force_login(city_officer)
    with translation.override("vi"):
        page = client.get(
            reverse("training:detail", args=[course.pk]), HTTP_ACCEPT_LANGUAGE="vi"
        ).content.decode()
    assert "Chưa đạt" in page and "Đồng ý" not in page


def test_the_course_list_leads_an_officer_to_their_own_training(client, city_officer, course):
    client.force_login(city_officer)
    page = client.get(reverse("training:list")).content.decode()
    assert f'href="{reverse("training:mine")}" data-testid="my-training"' in page
