"""A bulletin issue of 12 stories over 8 A4 pages: the print PDF holds every story's text once,
every photo, the planned page count; later edits of a story change nothing in the issue."""

import datetime as dt
import hashlib
import io
import re
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from tests.publishing.conftest import publish, write
from tests.publishing.test_views import jpeg
from thidua.publishing import services
from thidua.publishing.models import Issue
from thidua.publishing.richtext import plain_text

pytestmark = pytest.mark.django_db

# page of each of the 12 stories, and its layout
PLAN = [
    (1, "lead"),
    (2, "two_col"), (2, "box"),
    (3, "two_col"), (3, "two_col"),
    (4, "two_col"), (4, "box"),
    (5, "two_col"), (5, "two_col"),
    (6, "photo"),
    (7, "two_col"),
    (8, "box"),
]  # fmt: skip
WITH_PHOTO = {0, 3, 9}


def body(number: int) -> str:
    sentences = [
        f"Đây là bài số {number} của bản tin, kể về một mô hình ở khu dân cư.",
        "Bà con góp công, góp sức làm đường, trồng cây và giữ gìn vệ sinh chung.",
        "Ban công tác Mặt trận vận động từng hộ, lắng nghe ý kiến và cùng nhau thực hiện.",
        "Kết quả được nhân dân đồng tình, nhiều nơi đến học tập và nhân rộng.",
    ]
    return "".join(f"<p>{s}</p>" for s in sentences * 2)


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def issue(tree, columns, contributor, city_editor):
    issue = services.create_issue(
        city_editor,
        unit=tree["city"],
        number="10/2024",
        issued_on=dt.date(2024, 10, 15),
        editor_in_chief="Trần Thị Lan",
        masthead="Bản tin của Ủy ban MTTQ Việt Nam thành phố",
    )
    column = columns["mo-hinh-dien-hinh"]
    for index, (page, layout) in enumerate(PLAN):
        story = write(
            contributor,
            tree["group"],
            column,
            title=f"Bài {index + 1:02d}: Ngõ xanh và những tấm lòng",
            body=body(index + 1),
        )
        if index in WITH_PHOTO:
            services.add_photo(
                contributor,
                story=story,
                file=jpeg(color=(20 * index, 90, 60)),
                caption=f"Ảnh bài {index + 1}",
            )
        story = publish(story, contributor, city_editor)
        services.place_story(
            city_editor, issue=issue, story=story, page=page, layout=layout, position=index
        )
    return issue


def pdf_of(issue: Issue) -> PdfReader:
    issue.refresh_from_db()
    with issue.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def proof(issue, editor, capture):
    with capture(execute=True):  # the task enqueued at the commit renders the proof
        services.send_to_proof(editor, issue=issue)


def test_the_print_pdf_holds_every_story_once_every_photo_and_the_planned_pages(
    issue, city_editor, chief, django_capture_on_commit_callbacks
):
    proof(issue, city_editor, django_capture_on_commit_callbacks)
    reader = pdf_of(issue)
    assert len(reader.pages) == 8 == issue.pdf_pages
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    for slot in issue.slots.select_related("revision"):
        assert text.count(squash(slot.revision.title)) == 1, slot.revision.title
        assert text.count(squash(plain_text(slot.revision.body))) == 1, slot.revision.title
    # WeasyPrint shares one resource dictionary between pages: count distinct pictures
    images = {
        hashlib.sha256(image.data).hexdigest() for page in reader.pages for image in page.images
    }
    assert len(images) == len(WITH_PHOTO)
    assert "DÂN CHỦ VÀ ĐOÀN KẾT" in text
    # the running header on pages after the first, and page numbers
    assert "Dân chủ và Đoàn kết · số 10/2024 · 15/10/2024" in squash(reader.pages[1].extract_text())
    assert re.search(r"8 / 8", squash(reader.pages[7].extract_text()))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("DejaVu" in font for font in fonts)
    assert len(issue.pdf_sha256) == 64


def test_editing_a_story_afterwards_changes_nothing_in_the_issue(
    issue, contributor, city_editor, chief, django_capture_on_commit_callbacks
):
    proof(issue, city_editor, django_capture_on_commit_callbacks)
    before = squash(" ".join(p.extract_text() for p in pdf_of(issue).pages))
    frozen = dict(issue.slots.values_list("story_id", "revision_id"))
    slot = issue.slots.select_related("story").first()
    story = services.edit_story(
        contributor,
        story=slot.story,
        title="Tiêu đề đã sửa sau khi lên khuôn",
        lead="Sa-pô mới",
        body="<p>Nội dung mới hoàn toàn khác.</p>",
    )
    services.approve_story(city_editor, story=story)
    services.publish_story(city_editor, story=story)
    services.render_issue_pdf(issue.pk)  # delivered again: the same frozen revisions
    after = squash(" ".join(p.extract_text() for p in pdf_of(issue).pages))
    assert dict(issue.slots.values_list("story_id", "revision_id")) == frozen
    assert "Tiêu đề đã sửa" not in after
    assert after == before


def test_issue_workflow_and_who_may_do_what(issue, contributor, city_editor, chief, ward_editor):
    with pytest.raises(PermissionDenied):
        services.send_to_proof(contributor, issue=issue)
    services.send_to_proof(city_editor, issue=issue)
    with pytest.raises(PermissionDenied):
        services.approve_issue(city_editor, issue=issue)  # the editor-in-chief approves
    services.approve_issue(chief, issue=issue)
    with pytest.raises(ValidationError):
        services.remove_slot(city_editor, slot=issue.slots.first())
    services.publish_issue(city_editor, issue=issue)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED


def test_the_web_edition_and_the_pdf_are_public_once_published(
    client, issue, city_editor, chief, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    proof(issue, city_editor, django_capture_on_commit_callbacks)
    pdf = reverse("core:file", args=["bulletin-pdf", issue.pk])
    assert client.get(pdf).status_code == 404  # a proof is not public
    assert client.get(issue.get_absolute_url()).status_code == 404
    services.approve_issue(chief, issue=issue)
    services.publish_issue(city_editor, issue=issue)
    web = client.get(issue.get_absolute_url()).content.decode()
    titles = [m for m in re.findall(r"<h2>(Bài \d\d[^<]*)</h2>", web)]
    assert titles == [f"Bài {n:02d}: Ngõ xanh và những tấm lòng" for n in range(1, 13)]
    answer = client.get(pdf)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    archive = client.get(reverse("public_publishing:archive")).content.decode()
    assert "Bài 12: Ngõ xanh" in archive


def test_fees_are_proposed_approved_by_the_chief_and_listed_in_excel(
    client, issue, city_editor, chief
):
    from django.urls import reverse
    from openpyxl import load_workbook

    # the rates are dated data: the version in force on the issue's date (15/10/2024) applies,
    # not the one that starts after it
    rates = {"news": 350_000, "article": 600_000, "feature": 800_000, "photo": 400_000,
             "interview": 700_000}  # fmt: skip
    with pytest.raises(PermissionDenied):  # the editor-in-chief sets the rates
        services.add_rate_version(
            city_editor, unit=issue.owner_unit, valid_from=dt.date(2024, 1, 1), rates=rates
        )
    services.add_rate_version(
        chief, unit=issue.owner_unit, valid_from=dt.date(2024, 1, 1), rates=rates
    )
    services.add_rate_version(
        chief,
        unit=issue.owner_unit,
        valid_from=dt.date(2024, 11, 1),
        rates={**rates, "news": 500_000},
    )
    fees = services.propose_fees(city_editor, issue=issue)
    assert len(fees) == 12
    assert {(f.rate, f.rate_from, f.amount) for f in fees} == {
        (350_000, dt.date(2024, 1, 1), 350_000)
    }
    assert services.propose_fees(city_editor, issue=issue) == []  # idempotent
    with pytest.raises(PermissionDenied):
        services.approve_fees(city_editor, issue=issue)
    assert services.approve_fees(chief, issue=issue) == 12
    client.force_login(city_editor)
    answer = client.get(reverse("publishing:issue_fees", args=[issue.pk]))
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Người nhận"
    assert len(rows) == 14  # header, 12 fees, total
    header = list(rows[0])
    first = dict(zip(header, rows[1], strict=True))
    assert first["Ngày đăng"].date() == dt.date(2024, 10, 15)
    assert first["Đơn giá (đ)"] == 350_000
    assert first["Đơn giá áp dụng từ"].date() == dt.date(2024, 1, 1)
    assert rows[-1][header.index("Số tiền (đ)")] == 12 * 350_000


def test_the_pdf_renderer_fetches_nothing_from_outside(settings, tmp_path):
    from thidua.core.pdf import OutsideResource, local_fetcher

    fetcher = local_fetcher()
    for url in ("https://fonts.example.org/font.woff2", "http://example.org/a.css"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(OutsideResource):
        fetcher.fetch("file:///etc/passwd")
