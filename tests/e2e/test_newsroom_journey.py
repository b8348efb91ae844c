"""The newsroom journey of the issue, in a real browser: a residential officer writes a story
about a local model and submits it; the ward editor returns it with a reason; the officer fixes
it and submits again; the editor approves and schedules it; when the task worker runs at that
time the story is on the public home, its column, the ward's portal, the RSS and Atom feeds and
the sitemap."""

import datetime as dt

import feedparser
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory, grant
from thidua.publishing import services, tasks
from thidua.publishing.models import Story

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Mô hình “Ngõ xanh” ở Tổ dân phố 1"


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_write_return_fix_schedule_publish(page, tree, live_server):
    # the network is blocked: any request to another host fails and is recorded
    outside = []

    def block(route):
        outside.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(live_server.url), block)
    columns = {c.slug: c for c in services.ensure_columns(tree["city"])}
    column = columns["mo-hinh-dien-hinh"]
    grant(UserFactory(username="tdp-officer", full_name="Nguyễn Thị Mai"), "officer", tree["group"])
    grant(UserFactory(username="bode-editor", full_name="Lê Văn Biên"), "editor", tree["bo_de"])

    # 1. The residential officer writes and submits.
    login(page, "tdp-officer")
    page.goto("/publishing/new/")
    page.select_option("#id_unit", value=str(tree["group"].pk))
    page.select_option("#id_column", value=str(column.pk))
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", "Bà con Tổ dân phố 1 trồng cây, giữ ngõ sạch.")
    page.fill("#id_body", "<p>Hai trăm cây xanh.</p><script>alert(1)</script>")
    page.get_by_test_id("save-story").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Bản nháp")
    story_url = page.url
    page.fill("#id_comment", "Kính gửi ban biên tập")
    page.get_by_test_id("submit-story").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Đã gửi")
    logout(page)

    # 2. The ward editor finds it in the inbox and returns it with a reason.
    login(page, "bode-editor")
    page.goto("/work/")
    page.get_by_role("link", name=TITLE).first.click()
    page.fill("#return-reason", "Cần nêu số hộ tham gia")
    page.get_by_test_id("return-story").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Bản nháp")
    logout(page)

    # 3. The officer sees the reason, fixes and submits again.
    login(page, "tdp-officer")
    page.goto(story_url)
    expect(page.get_by_test_id("return-reason")).to_contain_text("Cần nêu số hộ tham gia")
    page.get_by_test_id("edit-story").click()
    page.fill("#id_body", "<p>Hai trăm cây xanh, 85 hộ tham gia.</p>")
    page.get_by_test_id("save-story").click()
    page.fill("#id_comment", "Đã bổ sung số hộ")
    page.get_by_test_id("submit-story").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Đã gửi")
    logout(page)

    # 4. The editor approves and schedules it for tomorrow 08:00.
    login(page, "bode-editor")
    page.goto(story_url)
    page.get_by_test_id("approve-story").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Đã duyệt")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.fill("#id_publish_at", f"{tomorrow:%Y-%m-%d}T08:00")
    page.get_by_test_id("schedule-story").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Đã hẹn giờ")
    logout(page)

    story = Story.objects.get()
    assert not story.is_live
    page.goto("/news/")
    expect(page.get_by_text(TITLE)).to_have_count(0)

    # 5. At that time the task worker runs and publishes it.
    assert tasks.publish_due_stories.call(as_of=story.publish_at.isoformat()) == 1
    story.refresh_from_db()
    assert story.is_live and "script" not in story.live_revision.body

    page.goto("/")
    expect(page.get_by_test_id("front-news")).to_contain_text(TITLE)
    page.goto(column.get_absolute_url())
    expect(page.get_by_test_id("column-stories")).to_contain_text(TITLE)
    page.goto(f"/news/unit/{tree['bo_de'].pk}/")
    expect(page.get_by_test_id("unit-stories")).to_contain_text(TITLE)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("story")).to_contain_text("85 hộ tham gia")
    story_path = story.get_absolute_url()
    for feed_path in ("/news/rss/", "/news/atom/", f"/news/unit/{tree['bo_de'].pk}/atom/"):
        feed = feedparser.parse(page.request.get(feed_path).body())
        assert not feed.bozo
        assert [e.title for e in feed.entries] == [TITLE]
    assert outside == []  # no outside font, script or style on any page of the journey
    sitemap = page.request.get("/sitemap-stories.xml").text()
    assert story_path in sitemap
    assert "<lastmod>" in sitemap
