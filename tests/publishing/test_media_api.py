"""The API for a draft's photos and links (list, attach, remove) and the search for records to
link, accents aside; the page and the API refuse the same people."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests.factories import UserFactory
from tests.parity import API, answers, assert_parity
from tests.publishing.conftest import publish
from tests.publishing.test_views import jpeg
from thidua.practices import services as practice_services
from thidua.publishing import selectors, services
from thidua.publishing.models import LinkKind, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def exemplar(tree, admin_user):
    found = practice_services.propose_exemplar(
        admin_user,
        owner_unit=tree["group"],
        kind="person",
        name="Nguyễn Văn Đức",
        deeds="Hiến 50 m² đất mở rộng ngõ.",
    )
    return practice_services.verify_exemplar(admin_user, exemplar=found, accept=True)


@pytest.fixture
def practice(tree, admin_user, fields):
    return practice_services.record_practice(
        admin_user,
        owner_unit=tree["bo_de"],
        title="Tuyến phố văn minh, sạch đẹp",
        field=fields["environment"],
        started_on=dt.date(2024, 1, 1),
    )


def test_photos_through_the_api(client, story, contributor):
    client.force_login(contributor)
    url = f"{API}/publishing/drafts/{story.pk}/photos"
    made = client.post(url, {"photo": jpeg(800, 600), "caption": "Ngõ xanh", "credit": "Mai"})
    assert made.status_code == 201, made.content
    photo = made.json()
    assert (photo["caption"], photo["width"], photo["height"]) == ("Ngõ xanh", 800, 600)
    assert [p["id"] for p in client.get(url).json()] == [photo["id"]]
    not_image = client.post(url, {"photo": jpeg().__class__("a.txt", b"hello", "text/plain")})
    assert not_image.status_code in (400, 422)
    assert client.delete(f"{url}/{photo['id']}").status_code == 204
    assert client.get(url).json() == []


def test_removing_a_photo_of_a_live_story_makes_a_revision_under_review(
    client, story, contributor, ward_editor
):
    photo = services.add_photo(contributor, story=story, file=jpeg(400, 300), caption="Ảnh")
    live = publish(story, contributor, ward_editor)
    services.remove_photo(contributor, story=live, photo=photo)
    live.refresh_from_db()
    assert live.status == Story.Status.IN_REVIEW and live.has_pending_edit
    assert list(live.live_revision.photos.all()) == [photo]  # the public keeps it
    assert list(live.revision.photos.all()) == []
    assert client.get(photo.url(480, "jpg")).status_code == 200


def test_links_through_the_api_with_the_search_ignoring_accents(
    client, story, contributor, exemplar, practice
):
    client.force_login(contributor)
    found = client.get(f"{API}/publishing/link-targets", {"kind": "exemplar", "q": "nguyen van"})
    assert [e["label"] for e in found.json()] == ["Nguyễn Văn Đức"]
    found = client.get(f"{API}/publishing/link-targets", {"kind": "practice", "q": "VAN MINH"})
    assert [p["id"] for p in found.json()] == [practice.pk]
    url = f"{API}/publishing/drafts/{story.pk}/links"
    made = client.post(
        url, {"kind": "exemplar", "object_id": exemplar.pk}, content_type="application/json"
    )
    assert made.status_code == 201
    again = client.post(
        url, {"kind": "exemplar", "object_id": exemplar.pk}, content_type="application/json"
    )
    assert again.status_code in (400, 422)
    assert [link["label"] for link in client.get(url).json()] == ["Nguyễn Văn Đức"]
    assert client.delete(f"{url}/{made.json()['id']}").status_code == 204
    assert client.get(url).json() == []


def test_the_story_page_finds_records_to_link_without_accents(client, story, contributor, exemplar):
    client.force_login(contributor)
    page = client.get(
        reverse("publishing:story_detail", args=[story.pk]), {"kind": "exemplar", "q": "duc"}
    ).content.decode()
    assert 'data-testid="link-candidates"' in page and "Nguyễn Văn Đức" in page
    client.post(
        reverse("publishing:story_action", args=[story.pk, "link"]),
        {"kind": "exemplar", "object_id": exemplar.pk},
    )
    assert story.links.get().label == "Nguyễn Văn Đức"


def test_portal_search_finds_exemplars_and_practices_without_accents(client, exemplar, practice):
    results = selectors.search("nguyen van duc")
    assert [e.pk for e in results.exemplars] == [exemplar.pk]
    results = selectors.search("tuyen pho van minh")
    assert [p.pk for p in results.practices] == [practice.pk]
    page = client.get(reverse("public_publishing:search"), {"q": "NGUYEN VĂN"})
    assert "Nguyễn Văn Đức" in page.content.decode()


def test_photo_and_link_lists_refuse_alike_on_page_and_api(
    story, contributor, ward_editor, sibling_editor, city_editor, chief, superuser
):
    people = {
        "admin": superuser,
        "contributor": contributor,
        "ward_editor": ward_editor,
        "sibling_editor": sibling_editor,
        "city_editor": city_editor,
        "chief": chief,
        "citizen": UserFactory(username="media-citizen"),
        "anonymous": AnonymousUser(),
    }
    allowed = {"contributor", "ward_editor", "city_editor", "chief"}
    for tail in ("photos", "links"):
        seen = answers(
            people, f"/publishing/{story.pk}/", f"{API}/publishing/drafts/{story.pk}/{tail}"
        )
        assert_parity(seen, allowed=allowed)


def test_sibling_editor_cannot_attach_or_remove(
    client, story, contributor, sibling_editor, exemplar
):
    photo = services.add_photo(contributor, story=story, file=jpeg(400, 300))
    link = services.link_story(
        contributor, story=story, kind=LinkKind.EXEMPLAR, object_id=exemplar.pk
    )
    client.force_login(sibling_editor)
    base = f"{API}/publishing/drafts/{story.pk}"
    assert client.delete(f"{base}/photos/{photo.pk}").status_code == 404
    assert client.delete(f"{base}/links/{link.pk}").status_code == 404
    assert client.post(f"{base}/photos", {"photo": jpeg()}).status_code == 404
    action = reverse("publishing:story_action", args=[story.pk, "unphoto"])
    assert client.post(action, {"photo": photo.pk}).status_code == 404
    story.refresh_from_db()
    assert list(story.revision.photos.all()) == [photo] and story.links.count() == 1


def test_a_story_about_a_fund_drive_is_listed_on_the_funds_public_page(
    client, tree, story, contributor, ward_editor
):
    from tests.factories import UserFactory as Users
    from thidua.mobilization import services as mobilization
    from thidua.mobilization.models import Fund

    leader = Users(username="drive-leader", roles=[("leader", tree["city"])])
    fund = mobilization.create_fund(
        leader, unit=tree["bo_de"], kind=Fund.Kind.FOR_THE_POOR, name="Quỹ Vì người nghèo Bồ Đề"
    )
    drive = mobilization.create_drive(
        leader,
        fund=fund,
        title="Tết ấm áp 2025",
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 1, 20),
        target_cash=10_000_000,
    )
    client.force_login(contributor)
    found = client.get(f"{API}/publishing/link-targets", {"kind": "drive", "q": "tet am ap"})
    assert [d["id"] for d in found.json()] == [drive.pk]
    services.link_story(contributor, story=story, kind=LinkKind.DRIVE, object_id=drive.pk)
    publish(story, contributor, ward_editor)
    client.logout()
    page = client.get(reverse("public_mobilization:fund", args=[fund.pk])).content.decode()
    assert 'data-testid="stories-about"' in page and story.live_title in page
    assert (
        f'href="{reverse("public_mobilization:fund", args=[fund.pk])}"'
        in client.get(story.get_absolute_url()).content.decode()
    )
