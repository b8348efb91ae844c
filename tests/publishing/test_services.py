import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.publishing.conftest import publish, write
from thidua.core.models import AuditEvent
from thidua.publishing import services
from thidua.publishing.models import Revision, Story

pytestmark = pytest.mark.django_db
S = Story.Status


def test_contributor_writes_and_submits_but_cannot_approve_or_publish(story, contributor):
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    with pytest.raises(PermissionDenied):
        services.approve_story(contributor, story=story)
    with pytest.raises(PermissionDenied):
        services.publish_story(contributor, story=story)
    with pytest.raises(PermissionDenied):
        services.schedule_story(
            contributor, story=story, publish_at=timezone.now() + dt.timedelta(hours=1)
        )
    story.refresh_from_db()
    assert story.status == S.SUBMITTED
    assert not story.is_live


def test_editor_of_a_sibling_ward_cannot_approve(story, contributor, sibling_editor):
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    with pytest.raises(PermissionDenied):
        services.approve_story(sibling_editor, story=story)
    with pytest.raises(PermissionDenied):
        services.return_story(sibling_editor, story=story, reason="Không thuộc phường")
    story.refresh_from_db()
    assert story.status == S.SUBMITTED


def test_ward_and_city_editors_approve_their_subtree(
    story, contributor, ward_editor, tree, columns, city_editor
):
    publish(story, contributor, ward_editor)
    other = write(contributor, tree["group"], columns["vi-nguoi-ngheo"], title="Bữa cơm 0 đồng")
    publish(other, contributor, city_editor)
    assert Story.objects.filter(is_live=True).count() == 2


def test_submit_needs_a_comment_and_return_needs_a_reason(story, contributor, ward_editor):
    with pytest.raises(ValidationError):
        services.submit_story(contributor, story=story, comment="  ")
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    with pytest.raises(ValidationError):
        services.return_story(ward_editor, story=story, reason="")
    story.refresh_from_db()
    assert story.status == S.SUBMITTED
    services.return_story(ward_editor, story=story, reason="Thiếu ảnh và tên người")
    story.refresh_from_db()
    assert story.status == S.DRAFT
    assert story.return_reason == "Thiếu ảnh và tên người"


def test_an_edit_of_a_published_story_goes_to_review_and_the_public_keeps_the_approved_one(
    story, contributor, ward_editor
):
    story = publish(story, contributor, ward_editor)
    live = story.live_revision
    services.edit_story(
        contributor, story=story, title="Tiêu đề mới chưa duyệt", lead="Mới", body="<p>Mới</p>"
    )
    story.refresh_from_db()
    assert story.status == S.IN_REVIEW
    assert story.is_live
    assert story.live_revision == live
    assert story.live_title == "Ngõ xanh Tổ dân phố 1"
    services.approve_story(ward_editor, story=story)
    services.publish_story(ward_editor, story=story)
    story.refresh_from_db()
    assert story.live_title == "Tiêu đề mới chưa duyệt"
    assert Revision.objects.filter(story=story).count() == 2


def test_script_and_event_handlers_are_stripped_on_save(tree, columns, contributor):
    story = write(
        contributor,
        tree["group"],
        columns["mo-hinh-dien-hinh"],
        body=(
            '<p onclick="steal()">Xin chào</p><script>alert(1)</script>'
            '<img src="/news/photo/1/960.jpg" onerror="alert(2)">'
            '<img src="https://tracker.example/x.png"><a href="javascript:alert(3)">x</a>'
            "<style>body{display:none}</style><h2>Tiêu đề</h2>"
        ),
    )
    body = story.revision.body
    for forbidden in ("script", "onclick", "onerror", "alert", "javascript", "style", "tracker"):
        assert forbidden not in body
    assert "<p>Xin chào</p>" in body
    assert '<img src="/news/photo/1/960.jpg">' in body
    assert "<h2>Tiêu đề</h2>" in body


def test_scheduled_story_is_published_by_the_task_when_due(story, contributor, ward_editor):
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    services.approve_story(ward_editor, story=story)
    at = timezone.now() + dt.timedelta(hours=2)
    services.schedule_story(ward_editor, story=story, publish_at=at)
    assert services.publish_due_stories() == 0  # not yet
    story.refresh_from_db()
    assert story.status == S.SCHEDULED and not story.is_live
    assert services.publish_due_stories(now=at + dt.timedelta(seconds=1)) == 1
    assert services.publish_due_stories(now=at + dt.timedelta(seconds=2)) == 0  # idempotent
    story.refresh_from_db()
    assert story.is_live and story.published_at == at


def test_schedule_in_the_past_is_refused(story, contributor, ward_editor):
    services.submit_story(contributor, story=story, comment="Xin duyệt")
    services.approve_story(ward_editor, story=story)
    with pytest.raises(ValidationError):
        services.schedule_story(
            ward_editor, story=story, publish_at=timezone.now() - dt.timedelta(minutes=1)
        )


def test_every_step_is_audited(story, contributor, ward_editor):
    publish(story, contributor, ward_editor)
    verbs = list(
        AuditEvent.objects.filter(target_type="publishing.story")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "publishing.story_create",
        "publishing.story_submit",
        "publishing.story_approve",
        "publishing.story_publish",
    ]


def test_a_bad_story_writes_nothing(tree, columns, contributor):
    with pytest.raises(ValidationError) as error:
        services.create_story(
            contributor,
            unit=tree["group"],
            column=columns["vi-nguoi-ngheo"],
            title=" ",
            lead="",
            body="<script>x</script>",
        )
    assert set(error.value.message_dict) == {"title", "lead", "body"}
    assert not Story.objects.exists()


def test_a_contributor_cannot_write_for_another_unit(tree, columns, contributor):
    with pytest.raises(PermissionDenied):
        write(contributor, tree["phuc_loi"], columns["vi-nguoi-ngheo"])


def test_inbox_items_go_to_whoever_must_act(story, contributor, ward_editor, sibling_editor):
    from thidua.core.work import inbox

    services.submit_story(contributor, story=story, comment="Xin duyệt")
    assert inbox(ward_editor).total == 1
    assert inbox(sibling_editor).total == 0
    assert inbox(contributor).total == 0
    services.return_story(ward_editor, story=story, reason="Bổ sung ảnh")
    assert inbox(ward_editor).total == 0
    assert inbox(contributor).total == 1
