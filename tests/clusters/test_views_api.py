import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.clusters.conftest import criteria, self_assess
from tests.clusters.test_services import sheet_of, walk_to
from tests.factories import UserFactory, warm
from tests.parity import API, answers, assert_parity
from thidua.clusters import services
from thidua.clusters.models import ScoreEntry, Step

pytestmark = pytest.mark.django_db


def test_sheet_page_and_api_refuse_the_same_people(review, crew, wards, superuser):
    sheet = sheet_of(review, wards[0])
    people = {
        "admin": superuser,
        "specialist": crew["specialist"],
        "member": crew["ward0"],
        "other_member": crew["ward1"],
        "outsider": crew["outsider"],
        "citizen": UserFactory(username="cl-citizen"),
        "anonymous": AnonymousUser(),
    }
    seen = answers(people, f"/clusters/sheets/{sheet.pk}/", f"{API}/clusters/sheets/{sheet.pk}")
    assert_parity(seen, allowed={"admin", "specialist", "member"})


def test_cluster_page_and_api_refuse_the_same_people(cluster, crew, superuser):
    people = {
        "admin": superuser,
        "leader": crew["leader"],
        "member": crew["ward3"],
        "outsider": crew["outsider"],
        "anonymous": AnonymousUser(),
    }
    seen = answers(people, f"/clusters/{cluster.pk}/", f"{API}/clusters/{cluster.pk}")
    assert_parity(seen, allowed={"admin", "leader", "member"})


def test_a_forbidden_user_cannot_score_on_the_page_or_the_api(review, crew, wards, client):
    sheet = sheet_of(review, wards[0])
    code = criteria(review.table)["1.2"]
    client.force_login(crew["outsider"])
    assert (
        client.post(f"/clusters/sheets/{sheet.pk}/scores/", {f"value_{code.pk}": "5"}).status_code
        == 404
    )
    response = client.post(
        f"{API}/clusters/sheets/{sheet.pk}/scores",
        {"criterion_id": code.pk, "value": "5"},
        content_type="application/json",
    )
    assert response.status_code == 404
    client.force_login(crew["ward1"])  # sees its cluster, not this sheet
    response = client.post(
        f"{API}/clusters/sheets/{sheet.pk}/scores",
        {"criterion_id": code.pk, "value": "5"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ScoreEntry.objects.exists()


def test_after_publication_the_api_refuses_every_score(review, crew, wards, client):
    self_assess(review, crew, wards)
    walk_to(review, crew, Step.STANDING_REVIEW)
    client.force_login(crew["leader"])
    response = client.post(f"{API}/clusters/reviews/{review.pk}/publish")
    assert response.status_code == 200
    sheet = sheet_of(review, wards[0])
    code = criteria(review.table)["1.2"]
    before = ScoreEntry.objects.count()
    for user in (crew["leader"], crew["council"], crew["ward0"]):
        client.force_login(user)
        response = client.post(
            f"{API}/clusters/sheets/{sheet.pk}/scores",
            {"criterion_id": code.pk, "value": "1", "comment": "sửa"},
            content_type="application/json",
        )
        assert response.status_code in (400, 403, 422), response.content
        response = client.post(
            f"{API}/clusters/sheets/{sheet.pk}/transitions",
            {"action": "return", "reason": "mở lại"},
            content_type="application/json",
        )
        assert response.status_code in (400, 403, 422)
    assert ScoreEntry.objects.count() == before


def test_api_score_and_transitions_follow_the_chain(review, crew, wards, client):
    sheet = sheet_of(review, wards[0])
    codes = criteria(review.table)
    client.force_login(crew["ward0"])
    response = client.post(
        f"{API}/clusters/sheets/{sheet.pk}/transitions",
        {"action": "submit"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    response = client.post(
        f"{API}/clusters/sheets/{sheet.pk}/scores",
        {"criterion_id": codes["1.2"].pk, "value": "7"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Decimal(response.json()["self_total"]) == 7
    client.force_login(crew["specialist"])
    response = client.post(
        f"{API}/clusters/sheets/{sheet.pk}/transitions",
        {"action": "return", "reason": ""},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)


def test_the_list_pages_cost_the_same_queries_with_one_and_three_clusters(crew, tree, client):
    client.force_login(crew["specialist"])
    counts = []
    for n in range(3):
        services.create_cluster(crew["specialist"], owner_unit=tree["city"], name=f"Cụm {n + 1}")
        if n in (0, 2):
            warm(client)
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/clusters/").status_code == 200
            counts.append(len(queries))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"{API}/clusters/").status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_review_page_exports_and_public_pages(review, crew, wards, client, tree):
    services.open_term(crew["specialist"], cluster=review.cluster, year=2025, head=wards[0],
                       rotation_order=wards)  # fmt: skip
    pledge = services.record_pledge(
        crew["specialist"], cluster=review.cluster, year=2025, title="Giao ước thi đua năm 2025"
    )
    services.add_pledge_target(
        crew["specialist"], pledge=pledge, unit=wards[1], description="Xây 5 nhà Đại đoàn kết",
        value=Decimal(5), measure="nhà",
    )  # fmt: skip
    self_assess(review, crew, wards)
    walk_to(review, crew, Step.STANDING_REVIEW)
    assert client.get(f"/p/clusters/reviews/{review.pk}/").status_code == 404
    services.publish_review(crew["leader"], review=review)
    client.force_login(crew["specialist"])
    assert client.get(f"/clusters/reviews/{review.pk}/").status_code == 200
    book = load_workbook(
        io.BytesIO(client.get(f"/clusters/reviews/{review.pk}/summary.xlsx").content)
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 9 and rows[0][1] and "I" in str(rows[0][2])
    for url in ("minutes.pdf", "flag-letter.pdf"):
        pdf = PdfReader(io.BytesIO(client.get(f"/clusters/reviews/{review.pk}/{url}").content))
        assert review.cluster.name in pdf.pages[0].extract_text()
    pdf = PdfReader(
        io.BytesIO(client.get(f"/clusters/{review.cluster.pk}/pledge/2025.pdf").content)
    )
    assert "Đại đoàn kết" in "".join(p.extract_text() for p in pdf.pages)
    client.logout()
    page = client.get(f"/p/clusters/reviews/{review.pk}/").content.decode()
    assert wards[0].name in page and "Giao ước thi đua năm 2025" in page
    # the cluster's words, not the funds' or the councils' ("Đăng ký ủng hộ", "Ủy viên")
    assert "<h2>Giao ước thi đua</h2>" in page and "Đăng ký ủng hộ" not in page
    assert "<th>Đơn vị thành viên</th>" in page and "Ủy viên" not in page
    assert client.get("/p/clusters/").status_code == 200
    # a member of the cluster sees only its own sheet in the review
    client.force_login(crew["ward2"])
    assert client.get(f"/clusters/reviews/{review.pk}/summary.xlsx").status_code == 403


def test_the_public_list_and_the_sheets_endpoint_cost_the_same_queries_whatever_the_count(
    crew, tree, wards, table, client
):
    """The public list with 1 and 3 published reviews; the review's sheets with 5 and 8."""
    from django.core.cache import cache
    from django.utils import timezone

    s = crew["specialist"]
    reviews = []
    for n, members in enumerate((wards[:5], wards, wards[:6])):
        cluster = services.create_cluster(s, owner_unit=tree["city"], name=f"Cụm mẫu {n + 1}")
        services.add_members(s, cluster=cluster, units=members, joined_on=wards[0].valid_from)
        reviews.append(services.open_review(s, cluster=cluster, year=2025, table=table))

    def count(path, user=None):
        cache.clear()
        if user:
            client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    one, _ = count(f"{API}/clusters/reviews/{reviews[0].pk}/sheets", s)
    eight, body = count(f"{API}/clusters/reviews/{reviews[1].pk}/sheets", s)
    assert one == eight and '"count": 8' in body
    client.logout()
    # published_at set directly: the count, not the publication, is under test here
    type(reviews[0]).objects.filter(pk=reviews[0].pk).update(published_at=timezone.now())
    single, body = count("/p/clusters/")
    assert "Cụm mẫu 1" in body
    type(reviews[0]).objects.update(published_at=timezone.now())
    three, body = count("/p/clusters/")
    assert single == three and "Cụm mẫu 3" in body


def test_the_specialist_sets_a_cluster_up_on_its_pages(crew, tree, wards, table, client):
    from thidua.clusters.models import Cluster, Review, Term

    client.force_login(crew["specialist"])
    response = client.post(
        "/clusters/new/",
        {"owner_unit": tree["city"].pk, "name": "Cụm thi đua số 9", "kind": "cluster",
         "min_members": 5, "note": "Nhóm mẫu"},
    )  # fmt: skip
    cluster = Cluster.objects.get(name="Cụm thi đua số 9")
    assert response.status_code == 302
    base = f"/clusters/{cluster.pk}/do"
    client.post(
        f"{base}/members/",
        {"m-units": [w.pk for w in wards[:6]], "m-joined_on": "2025-01-01"},
    )
    assert cluster.memberships.count() == 6
    client.post(f"{base}/term/", {"t-year": 2025, "t-head": wards[0].pk, "t-deputy": wards[1].pk})
    client.post(f"{base}/term/", {"t-year": 2026})  # the rotation proposes the next
    assert Term.objects.get(cluster=cluster, year=2026).head == wards[1]
    client.post(
        f"{base}/election/",
        {"e-head": wards[3].pk, "e-elected_on": "2026-01-05", "e-note": "Bầu tại hội nghị cụm"},
    )
    assert Term.objects.get(cluster=cluster, year=2026).head == wards[3]
    client.post(f"{base}/pledge/", {"p-year": 2025, "p-title": "Giao ước thi đua 2025"})
    client.post(
        f"{base}/target/", {"g-unit": wards[2].pk, "g-description": "Vận động Quỹ", "g-value": "50"}
    )
    assert cluster.pledges.get().targets.count() == 1
    response = client.post(
        f"{base}/review/",
        {"r-year": 2025, "r-table": table.pk, "r-peer_count": 2, "r-flag_quota": 1},
    )
    review = Review.objects.get(cluster=cluster)
    assert response["Location"] == f"/clusters/reviews/{review.pk}/"
    assert review.sheets.count() == 6
    assert client.get(f"/clusters/{cluster.pk}/").status_code == 200
    assert client.get(f"/clusters/reviews/{review.pk}/").status_code == 200
    client.post(f"/clusters/reviews/{review.pk}/do/peers/")
    assert review.peer_assignments.count() == 12
    # a member of another cluster sees neither this cluster nor its review
    client.force_login(crew["ward7"])
    assert client.get(f"/clusters/{cluster.pk}/").status_code == 404
    assert client.get(f"/clusters/reviews/{review.pk}/").status_code == 404
    assert client.post(f"{base}/pledge/", {"p-year": 2026, "p-title": "x"}).status_code == 404


def test_editing_a_used_criterion_on_the_page_makes_the_next_version(review, crew, wards, client):
    codes = criteria(review.table)
    self_assess(review, crew, wards, values=(9, 7, 8))
    client.force_login(crew["specialist"])
    assert client.get("/clusters/tables/").status_code == 200
    assert client.get(f"/clusters/tables/{review.table_id}/").status_code == 200
    response = client.post(
        f"/clusters/tables/{review.table_id}/do/edit/",
        {"x-criterion": codes["1.2"].pk, "x-max_points": "6", "x-note": "Giảm điểm tiêu chí 1.2"},
    )
    review.refresh_from_db()
    assert review.table.version == 2
    assert response["Location"] == f"/clusters/tables/{review.table_id}/"
    assert sheet_of(review, wards[0]).table.version == 1
    client.force_login(crew["outsider"])
    assert client.get(f"/clusters/tables/{review.table_id}/").status_code in (403, 404)
    listing = client.get("/clusters/tables/")  # an officer elsewhere: an empty list
    assert (
        listing.status_code == 200 and "Bảng chấm điểm thi đua cụm" not in listing.content.decode()
    )
    client.force_login(UserFactory(username="cl-citizen-2"))
    assert client.get("/clusters/tables/").status_code == 403


def test_staff_pages_follow_the_office_conventions(review, crew, wards, client):
    from tests.visible_text import convention_problems

    codes = criteria(review.table)
    sheet = sheet_of(review, wards[0])
    services.record_score(crew["ward0"], sheet=sheet, criterion=codes["1.2"], value="7.5")
    client.cookies["django_language"] = "vi"
    client.force_login(crew["specialist"])
    for url in (
        f"/clusters/sheets/{sheet.pk}/",
        f"/clusters/reviews/{review.pk}/",
        f"/clusters/tables/{review.table_id}/",
        f"/clusters/{review.cluster_id}/",
        f"/clusters/chains/{review.cluster.owner_unit_id}/",
        "/clusters/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert convention_problems(response.content.decode()) == [], url
