import datetime as dt

import pytest
from django.urls import reverse

from tests.cultural_titles.conftest import MEETING, YEAR, filled
from thidua.cultural_titles import services

POSTED = dt.date(YEAR, 11, 4)


def _posted(committee, area_a):
    services.upload_assessment(committee, assessment=area_a, content=filled(area_a))
    services.record_meeting(
        committee, assessment=area_a, meeting_on=MEETING, chair="Lê Văn Tổ", co_chair="Nguyễn Thị X"
    )
    services.post_list(committee, assessment=area_a, today=POSTED)
    area_a.refresh_from_db()
    return area_a


def _names(area_a):
    return [row.head_name for row in area_a.households.all()]


@pytest.fixture
def frozen(monkeypatch):
    """Move the pages' clock (timezone.localdate) to a chosen day."""

    def at(day):
        from django.utils import timezone

        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return at


def test_the_committee_downloads_the_template_and_uploads_it(client, committee, area_a):
    client.force_login(committee)
    response = client.get(reverse("cultural_titles:template", args=[area_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = filled(area_a, no_for={"HA002"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("cultural_titles:action", args=[area_a.pk, "upload"]),
        {"file": SimpleUploadedFile("to1.xlsx", upload)},
        follow=True,
    )
    assert response.status_code == 200
    area_a.refresh_from_db()
    assert (area_a.assessed, area_a.eligible) == (5, 4)


def test_pages_of_an_area_are_404_outside_the_tree_on_the_page_and_the_api(
    client, outsider, area_a
):
    client.force_login(outsider)
    for name in ("cultural_titles:area", "cultural_titles:template"):
        assert client.get(reverse(name, args=[area_a.pk])).status_code == 404
    assert client.get(reverse("cultural_titles:round", args=[area_a.round_id])).status_code == 404
    assert client.get(f"/api/v1/cultural-titles/areas/{area_a.pk}/").status_code == 404
    assert client.post(f"/api/v1/cultural-titles/areas/{area_a.pk}/post/").status_code == 404


def test_a_committee_member_may_not_decide_on_the_page_nor_file_early_on_the_api(
    client, committee, area_a
):
    area_a = _posted(committee, area_a)
    client.force_login(committee)
    response = client.post(
        reverse("cultural_titles:decide", args=[area_a.round_id]),
        {"number": "1/QĐ", "signed_on": "20/11/2026", "signer": "X"},
    )
    assert response.status_code == 403
    assert not area_a.round.decisions.exists()
    response = client.post(
        f"/api/v1/cultural-titles/areas/{area_a.pk}/file/",
        {"late_reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    area_a.refresh_from_db()
    assert area_a.status == "posted"


def test_the_dashboard_and_the_api_show_the_areas(client, chairman, committee, area_a):
    _posted(committee, area_a)
    client.force_login(chairman)
    response = client.get(reverse("cultural_titles:round", args=[area_a.round_id]))
    assert response.status_code == 200
    assert "Tổ dân phố 1" in response.content.decode()
    data = client.get(f"/api/v1/cultural-titles/rounds/{area_a.round_id}/").json()
    assert [a["assessment"]["eligible"] for a in data["areas"]] == [5, 0]


def test_names_are_public_only_inside_the_window_and_in_the_decision(
    client, committee, chairman, area_a, frozen
):
    pages = [
        reverse("public_cultural_titles:rounds"),
        reverse("public_cultural_titles:round", args=[area_a.round_id]),
        reverse("public_cultural_titles:area", args=[area_a.pk]),
    ]

    def shown():
        text = "".join(client.get(page).content.decode() for page in pages)
        return [name for name in _names(area_a) if name in text]

    frozen(dt.date(YEAR, 11, 2))
    services.upload_assessment(committee, assessment=area_a, content=filled(area_a))
    assert shown() == []  # assessed, not posted
    area_a = _posted(committee, area_a)
    frozen(dt.date(YEAR, 11, 8))
    assert len(shown()) == 5  # inside the window
    assert (
        client.get(reverse("public_cultural_titles:area_pdf", args=[area_a.pk])).status_code == 200
    )
    frozen(dt.date(YEAR, 11, 14))
    assert shown() == []  # the window is over
    assert (
        client.get(reverse("public_cultural_titles:area_pdf", args=[area_a.pk])).status_code == 404
    )
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    assert shown() == []
    decided = services.decide_families(
        chairman, round=area_a.round, number="5/QĐ", signed_on=dt.date(YEAR, 11, 20), signer="Đức"
    )
    assert shown() == []
    annex = client.get(reverse("public_cultural_titles:annex", args=[decided.pk])).content.decode()
    assert all(name in annex for name in _names(area_a))


def test_a_resident_comments_on_the_open_list(client, committee, area_a, frozen):
    area_a = _posted(committee, area_a)
    frozen(dt.date(YEAR, 11, 6))
    url = reverse("public_cultural_titles:area", args=[area_a.pk])
    response = client.post(url, {"name": "Cư dân", "text": "Hộ số 4 vi phạm"})
    assert response.status_code == 302
    assert area_a.posting.comments.get().source == "web"
    frozen(dt.date(YEAR, 11, 20))
    assert client.post(url, {"name": "Cư dân", "text": "Muộn"}).status_code == 404


def test_the_pages_follow_the_office_conventions(client, committee, chairman, area_a, frozen):
    from tests.visible_text import convention_problems

    frozen(dt.date(YEAR, 11, 6))
    area_a = _posted(committee, area_a)
    services.comment(
        None, assessment=area_a, name="Cư dân", text="Ý kiến", today=dt.date(YEAR, 11, 6)
    )
    pages = [
        reverse("public_cultural_titles:rounds"),
        reverse("public_cultural_titles:round", args=[area_a.round_id]),
        reverse("public_cultural_titles:area", args=[area_a.pk]),
    ]
    for page in pages:
        assert convention_problems(client.get(page).content.decode()) == [], page
    client.force_login(chairman)
    for page in (
        reverse("cultural_titles:list"),
        reverse("cultural_titles:round", args=[area_a.round_id]),
        reverse("cultural_titles:area", args=[area_a.pk]),
    ):
        assert convention_problems(client.get(page).content.decode()) == [], page


def test_the_area_page_lists_its_households_a_page_at_a_time(
    client, committee, area_a, monkeypatch
):
    from thidua.cultural_titles import views

    monkeypatch.setattr(views, "HOUSEHOLDS_PER_PAGE", 2)
    services.upload_assessment(committee, assessment=area_a, content=filled(area_a))
    client.force_login(committee)
    url = reverse("cultural_titles:area", args=[area_a.pk])
    first = client.get(url).content.decode()
    names = sorted(area_a.households.values_list("code", "head_name"))
    assert names[0][1] in first and names[2][1] not in first
    assert 'class="pagination"' in first and "page=2" in first
    last = client.get(url, {"page": 3}).content.decode()
    assert names[4][1] in last and names[0][1] not in last


def test_the_annex_folds_each_area_under_its_count(client, committee, chairman, area_a):
    area_a = _posted(committee, area_a)
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    decided = services.decide_families(
        chairman, round=area_a.round, number="5/QĐ", signed_on=dt.date(YEAR, 11, 20), signer="Đức"
    )
    client.force_login(chairman)
    body = client.get(reverse("cultural_titles:annex", args=[decided.pk])).content.decode()
    assert body.count('<details class="annex-area"') == 1
    assert all(name in body for name in _names(area_a))


def test_the_round_lists_come_a_page_at_a_time(client, chairman, area_a, monkeypatch):
    from django.core.paginator import Paginator

    from thidua.cultural_titles import views

    def paginate_by_one(request, items, per_page):
        page = Paginator(items, 1).get_page(request.GET.get("page"))
        return page, ""

    monkeypatch.setattr(views, "paginate", paginate_by_one)
    services.open_round(chairman, commune=area_a.round.commune, year=area_a.round.year + 1)
    client.force_login(chairman)
    staff = client.get(reverse("cultural_titles:list")).content.decode()
    assert 'class="pagination"' in staff
    public = client.get(reverse("public_cultural_titles:rounds")).content.decode()
    assert 'class="pagination"' in public
