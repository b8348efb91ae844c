import io
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.publishing.conftest import publish
from thidua.publishing import services
from thidua.publishing.models import LinkKind, Story

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def jpeg(width=1200, height=800, color=(180, 40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def live(story, contributor, ward_editor):
    services.add_photo(contributor, story=story, file=jpeg(), caption="Ngõ xanh", credit="Mai")
    return publish(story, contributor, ward_editor)


def test_contributor_is_refused_approval_on_the_page_and_the_api(client, story, contributor):
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    client.force_login(contributor)
    page = client.get(reverse("publishing:story_detail", args=[story.pk]))
    assert page.status_code == 200
    assert b'data-testid="approve-story"' not in page.content
    client.post(reverse("publishing:story_action", args=[story.pk, "approve"]))
    client.post(reverse("publishing:story_action", args=[story.pk, "publish"]))
    story.refresh_from_db()
    assert story.status == Story.Status.SUBMITTED and not story.is_live
    for step in ("approve", "publish"):
        answer = client.post(
            f"/api/v1/publishing/drafts/{story.pk}/{step}", content_type="application/json"
        )
        assert answer.status_code == 403
    story.refresh_from_db()
    assert not story.is_live


def test_sibling_ward_editor_gets_404_on_the_page_and_the_api(
    client, story, contributor, sibling_editor
):
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    client.force_login(sibling_editor)
    assert client.get(reverse("publishing:story_detail", args=[story.pk])).status_code == 404
    assert (
        client.post(reverse("publishing:story_action", args=[story.pk, "approve"])).status_code
        == 404
    )
    answer = client.post(f"/api/v1/publishing/drafts/{story.pk}/approve")
    assert answer.status_code == 404
    story.refresh_from_db()
    assert story.status == Story.Status.SUBMITTED


def test_ward_editor_approves_on_the_page(client, story, contributor, ward_editor):
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    client.force_login(ward_editor)
    client.post(reverse("publishing:story_action", args=[story.pk, "approve"]))
    client.post(reverse("publishing:story_action", args=[story.pk, "publish"]))
    story.refresh_from_db()
    assert story.is_live


def test_story_page_has_open_graph_photo_and_reads_the_live_revision(client, live, contributor):
    services.edit_story(
        contributor, story=live, title="Bản sửa chưa duyệt", lead="x", body="<p>x</p>"
    )
    page = client.get(live.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ngõ xanh Tổ dân phố 1" in html and "Bản sửa chưa duyệt" not in html
    assert 'property="og:image"' in html and 'property="og:title"' in html
    image = re.search(r'property="og:image" content="([^"]+)"', html).group(1)
    answer = client.get(image.replace("http://testserver", ""))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert "https://" not in re.sub(r'content="http[^"]*"|href="http://testserver[^"]*"', "", html)


def test_photo_renditions_are_resized(live):
    photo = live.live_revision.photos.get()
    assert set(photo.renditions) == {"480.webp", "480.jpg", "960.webp", "960.jpg", "2480.jpg"}
    from thidua.core.uploads import private_storage

    with private_storage().open(photo.renditions["480.webp"]) as handle:
        assert Image.open(handle).size == (480, 320)


def test_draft_photo_is_not_public(client, story, contributor):
    photo = services.add_photo(contributor, story=story, file=jpeg(400, 300))
    assert client.get(photo.url(480, "jpg")).status_code == 404


def test_hreflang_between_translations(client, live, tree, columns, contributor, ward_editor):
    english = services.create_story(
        contributor,
        unit=tree["group"],
        column=live.column,
        title="Green alley",
        lead="People of group 1.",
        body="<p>Trees.</p>",
        language="en",
        translation_of=live,
    )
    publish(english, contributor, ward_editor)
    html = client.get(live.get_absolute_url()).content.decode()
    assert 'hreflang="en"' in html and 'hreflang="vi"' in html and 'hreflang="x-default"' in html


def test_public_pages_answer(client, live, tree, columns):
    urls = [
        reverse("core:home"),
        reverse("public_publishing:home"),
        live.column.get_absolute_url(),
        reverse("public_publishing:unit", args=[tree["bo_de"].pk]),
        reverse("public_publishing:search") + "?q=ngo xanh",
    ]
    assert client.get(reverse("public_publishing:archive")).status_code == 200
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Ngõ xanh Tổ dân phố 1" in page.content.decode(), url


def test_search_ignores_diacritics(client, live):
    page = client.get(reverse("public_publishing:search"), {"q": "NGO XANH to dan pho"})
    assert live.get_absolute_url() in page.content.decode()


@pytest.mark.parametrize(
    "name,args,kind",
    [
        ("rss", [], "rss20"),
        ("atom", [], "atom10"),
        ("column_rss", ["column"], "rss20"),
        ("column_atom", ["column"], "atom10"),
        ("unit_rss", ["unit"], "rss20"),
        ("unit_atom", ["unit"], "atom10"),
    ],
)
def test_feeds_parse(client, live, tree, name, args, kind):
    values = {"column": live.column_id, "unit": tree["bo_de"].pk}
    answer = client.get(reverse(f"public_publishing:{name}", args=[values[a] for a in args]))
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == kind
    assert [entry.title for entry in feed.entries] == ["Ngõ xanh Tổ dân phố 1"]
    assert feed.entries[0].link.endswith(live.get_absolute_url())


def test_bulletin_feeds_parse(client, db):
    for name in ("bulletin_rss", "bulletin_atom"):
        feed = feedparser.parse(client.get(reverse(f"public_publishing:{name}")).content)
        assert not feed.bozo


def test_every_url_of_the_sitemap_answers(client, live, tree):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for location in index.findall("s:sitemap/s:loc", NS):
        section = ET.fromstring(client.get(location.text.replace("http://testserver", "")).content)
        for entry in section.findall("s:url", NS):
            urls.append(entry.find("s:loc", NS).text)
    path = live.get_absolute_url()
    assert any(url.endswith(path) for url in urls)
    assert any(
        url.endswith(reverse("public_publishing:unit", args=[tree["group"].pk])) for url in urls
    )
    for url in urls:
        assert client.get(url.replace("http://testserver", "")).status_code == 200, url


def test_the_story_shows_on_the_exemplar_page_and_the_exemplar_on_the_story(
    client, story, contributor, ward_editor, tree, admin_user
):
    from thidua.practices import services as practice_services

    exemplar = practice_services.propose_exemplar(
        admin_user,
        owner_unit=tree["group"],
        name="Bà Nguyễn Thị Lành",
        kind="person",
        deeds="Nấu cơm cho người bệnh",
    )
    practice_services.verify_exemplar(admin_user, exemplar=exemplar, accept=True)
    services.link_story(contributor, story=story, kind=LinkKind.EXEMPLAR, object_id=exemplar.pk)
    live = publish(story, contributor, ward_editor)
    assert "Bà Nguyễn Thị Lành" in client.get(live.get_absolute_url()).content.decode()
    page = client.get(reverse("public_practices:exemplar_detail", args=[exemplar.pk]))
    assert live.get_absolute_url() in page.content.decode()


def test_link_to_a_missing_record_is_refused(story, contributor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.link_story(contributor, story=story, kind=LinkKind.PRACTICE, object_id=999999)
    assert not story.links.exists()


def test_api_public_reads(client, live):
    answer = client.get("/api/v1/publishing/stories")
    assert answer.status_code == 200
    assert answer.json()["items"][0]["title"] == "Ngõ xanh Tổ dân phố 1"
    detail = client.get(f"/api/v1/publishing/stories/{live.pk}").json()
    assert "<h2>Kết quả</h2>" in detail["body"]


def test_api_staff_writes_through_the_services(client, tree, columns, contributor):
    client.force_login(contributor)
    answer = client.post(
        "/api/v1/publishing/drafts",
        {
            "unit_id": tree["group"].pk,
            "column_id": columns["vi-nguoi-ngheo"].pk,
            "title": "Bữa cơm 0 đồng",
            "lead": "Mỗi trưa thứ bảy.",
            "body": "<p onmouseover='x()'>Cơm</p>",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["body"] == "<p>Cơm</p>"
    story_id = answer.json()["id"]
    refused = client.post(
        f"/api/v1/publishing/drafts/{story_id}/submit",
        {"comment": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422
    ok = client.post(
        f"/api/v1/publishing/drafts/{story_id}/submit",
        {"comment": "Xin duyệt"},
        content_type="application/json",
    )
    assert ok.json()["status"] == "submitted"


def test_static_page_is_edited_by_the_editor_only(client, tree, ward_editor, contributor):
    url = reverse("publishing:page_edit", args=[tree["bo_de"].pk, "gioi-thieu"])
    client.force_login(contributor)
    assert client.get(url).status_code == 404
    client.force_login(ward_editor)
    answer = client.post(
        url, {"title": "Giới thiệu", "body": "<p>Phường Bồ Đề</p><script>x</script>"}
    )
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "Phường Bồ Đề" in page and "<script>x" not in page
