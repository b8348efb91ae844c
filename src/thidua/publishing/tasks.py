"""Background tasks of the newsroom. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

from django_tasks import task

from thidua.publishing import services


@task()
def publish_scheduled_story(story_id: int) -> int:
    """Enqueued to run at the story's time; publishes it if it is still scheduled and due."""
    return services.publish_due_stories(story_id=story_id)


@task()
def publish_due_stories() -> int:
    """The sweep (also `manage.py publish_scheduled_stories`): every due scheduled story."""
    return services.publish_due_stories()


@task()
def render_issue_pdf_task(issue_id: int) -> str:
    return services.render_issue_pdf(issue_id)
