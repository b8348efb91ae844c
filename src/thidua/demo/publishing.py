"""Demo newsroom: the document's columns on the city portal, stories written from the demo's
exemplars, practices (Long Biên's models) and recognised initiatives at every workflow state,
static pages, and the issue "Dân chủ và Đoàn kết số 10/2024" of 8 pages (12 stories) with a
neutral masthead, its fees proposed and approved. Idempotent: a second run changes nothing.

Writers: `canbo` (officer, Phường Bồ Đề) for Bồ Đề's stories, `bientap` (the city's editor) for
the others; `bientap` approves and publishes; `lanhdao` approves the issue as editor-in-chief.
The print PDF is rendered by the task worker, as in use."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw

from thidua.initiatives import selectors as initiatives
from thidua.org.models import Unit
from thidua.practices import selectors as practices
from thidua.publishing import services
from thidua.publishing.models import Issue, LinkKind, Story, StoryType

ISSUE_NUMBER = "10/2024"
# page and layout of the issue's 12 stories
PLAN = [
    (1, "lead"), (2, "two_col"), (2, "box"), (3, "two_col"), (3, "two_col"), (4, "two_col"),
    (4, "box"), (5, "two_col"), (5, "two_col"), (6, "photo"), (7, "two_col"), (8, "box"),
]  # fmt: skip
# the workflow state of the stories after the first 30 (published)
STATES = ["draft", "returned", "submitted", "in_review", "approved", "scheduled", "edited"]
PAGES = [
    (
        "gioi-thieu",
        "Giới thiệu",
        "<p>Trang thông tin của Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội: phong trào "
        "thi đua, gương người tốt việc tốt, mô hình điển hình và bản tin "
        "“Dân chủ và Đoàn kết”.</p>",
    ),
    (
        "lien-he",
        "Liên hệ",
        "<p>Ban Tuyên giáo – Ủy ban MTTQ Việt Nam thành phố Hà Nội.</p>"
        "<p>Thư điện tử: bantin@example.org</p>",
    ),
    (
        "van-ban",
        "Văn bản",
        "<ul><li>Kế hoạch thi đua, khen thưởng năm 2024</li>"
        "<li>Hướng dẫn bình xét danh hiệu văn hóa</li></ul>",
    ),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _photo(index: int) -> SimpleUploadedFile:
    """A neutral placeholder picture (no real person's photo in the demo)."""
    image = Image.new("RGB", (1600, 1000), (40 + 15 * index % 200, 110, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 120, 1480, 880), outline=(255, 255, 255), width=12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"anh-{index}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts if text)


def _sources(city: Unit) -> list[dict]:
    """What the stories tell about: exemplars, practices, recognised initiatives."""
    found = []
    for exemplar in practices.public_exemplars().order_by("pk")[:20]:
        found.append(
            {
                "kind": LinkKind.EXEMPLAR,
                "pk": exemplar.pk,
                "unit": exemplar.owner_unit,
                "column": "nguoi-tot-viec-tot",
                "type": StoryType.FEATURE,
                "title": f"Người tốt, việc tốt: {exemplar.name}",
                "lead": (exemplar.deeds or "").split(".")[0][:300] or exemplar.name,
                "body": _paragraphs(exemplar.deeds, exemplar.story),
            }
        )
    # originals only: a replica carries its source's title, and three stories about one model
    # would read as the same story three times in the newsroom
    seen_titles: set[str] = set()
    for practice in practices.public_practices().filter(source__isnull=True).order_by("pk"):
        if practice.title in seen_titles:
            continue
        if len(seen_titles) == 37:
            break
        seen_titles.add(practice.title)
        found.append(
            {
                "kind": LinkKind.PRACTICE,
                "pk": practice.pk,
                "unit": practice.owner_unit,
                "column": "mo-hinh-dien-hinh",
                "type": StoryType.ARTICLE,
                "title": f"Mô hình “{practice.title}”",
                "lead": f"{practice.owner_unit.name} triển khai mô hình “{practice.title}”.",
                "body": _paragraphs(
                    practice.description or practice.title,
                    "Ban công tác Mặt trận vận động từng hộ, lắng nghe ý kiến và cùng nhân dân "
                    "thực hiện; mô hình được bà con đồng tình, hưởng ứng.",
                ),
            }
        )
    for submission in initiatives.public_recognised()[:10]:
        found.append(
            {
                "kind": LinkKind.INITIATIVE,
                "pk": submission.pk,
                "unit": submission.unit,
                "column": "doan-ket-sang-tao",
                "type": StoryType.NEWS,
                "title": f"Sáng kiến được công nhận: {submission.title}",
                "lead": (submission.summary or submission.title)[:300],
                "body": _paragraphs(submission.summary or submission.title),
            }
        )
    return [item for item in found if item["unit"].path.startswith(city.path)]


def _write(item: dict, *, writer: Any, columns: dict) -> Story:
    story = services.create_story(
        writer,
        unit=item["unit"],
        column=columns[item["column"]],
        title=item["title"][:290],
        lead=item["lead"],
        body=item["body"],
        story_type=item["type"],
        tags="thi đua, Mặt trận",
    )
    services.link_story(writer, story=story, kind=item["kind"], object_id=item["pk"])
    return story


def _to_state(story: Story, state: str, *, writer: Any, editor: Any) -> Story:
    if state == "draft":
        return story
    story = services.submit_story(writer, story=story, comment="Kính gửi ban biên tập xem xét.")
    if state == "submitted":
        return story
    if state == "returned":
        return services.return_story(
            editor, story=story, reason="Đề nghị bổ sung số liệu và ảnh minh họa."
        )
    story = services.start_review(editor, story=story)
    if state == "in_review":
        return story
    story = services.approve_story(editor, story=story)
    if state == "approved":
        return story
    if state == "scheduled":
        return services.schedule_story(
            editor, story=story, publish_at=timezone.now() + dt.timedelta(days=2)
        )
    story = services.publish_story(editor, story=story)
    if state == "edited":  # a published story with an edit under review
        revision = story.revision
        story = services.edit_story(
            writer,
            story=story,
            title=revision.title,
            lead=revision.lead,
            body=revision.body + "<p>Cập nhật: mô hình tiếp tục được nhân rộng.</p>",
        )
    return story


def seed(*, stdout: Any) -> None:
    editor, officer, chief = _user("bientap"), _user("canbo"), _user("lanhdao")
    if editor is None or chief is None:
        stdout.write("  the demo logins are missing: run the whole seed_demo first")
        return
    city = Unit.objects.filter(code="01", kind__code="province", valid_to__isnull=True).first()
    if city is None:
        stdout.write("  Thành phố Hà Nội is missing: run the whole seed_demo first")
        return
    columns = {column.slug: column for column in services.ensure_columns(city)}
    for slug, title, body in PAGES:
        services.save_page(editor, unit=city, slug=slug, title=title, body=body)
    if Issue.objects.filter(owner_unit=city, number=ISSUE_NUMBER).exists():
        stdout.write("  the newsroom is already seeded")
        return
    sources = _sources(city)
    published: list[Story] = []
    now = timezone.now()
    with transaction.atomic():
        for index, item in enumerate(sources):
            bo_de = officer is not None and item["unit"].name == "Phường Bồ Đề"
            writer = officer if bo_de else editor
            story = _write(item, writer=writer, columns=columns)
            if index % 9 == 0:
                services.add_photo(
                    writer, story=story, file=_photo(index), caption=item["title"][:120],
                    credit="Ban Tuyên giáo",
                )  # fmt: skip
            state = "published" if index < 30 else STATES[index % len(STATES)]
            story = _to_state(story, state, writer=writer, editor=editor)
            if story.is_live:
                # spread the publication dates over the last weeks, newest first
                Story.objects.filter(pk=story.pk).update(
                    published_at=now - dt.timedelta(hours=7 * index)
                )
                published.append(story)
        issue = services.create_issue(
            editor,
            unit=city,
            number=ISSUE_NUMBER,
            issued_on=dt.date(2024, 10, 15),
            editor_in_chief=str(chief),
            masthead="Bản tin của Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội",
        )
        for position, (story, (page, layout)) in enumerate(zip(published, PLAN, strict=False)):
            services.place_story(
                editor, issue=issue, story=story, page=page, layout=layout, position=position
            )
        services.send_to_proof(editor, issue=issue)
        services.approve_issue(chief, issue=issue)
        services.publish_issue(editor, issue=issue)
        services.propose_fees(editor, issue=issue)
        services.approve_fees(chief, issue=issue)
    counts = {
        label: Story.objects.filter(status=value).count() for value, label in Story.Status.choices
    }
    stdout.write(
        f"  {len(sources)} stories ({', '.join(f'{k}: {v}' for k, v in counts.items() if v)}); "
        f"issue {issue} with {issue.slots.count()} stories on {issue.planned_pages} pages "
        "(its PDF is rendered by the task worker)"
    )
