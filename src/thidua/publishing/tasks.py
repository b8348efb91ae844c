"""Background tasks of the newsroom. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from thidua.publishing import services


@task()
def publish_scheduled_story(story_id: int) -> int:
    """Enqueued to run at the story's time; publishes it if it is still scheduled and due."""
    return services.publish_due_stories(story_id=story_id)


@task()
def publish_due_stories(as_of: str | None = None) -> int:
    """The sweep (also `manage.py publish_scheduled_stories`): every scheduled story due by
    now (or by `as_of`, an ISO time, when a worker catches up on a given moment)."""
    now = dt.datetime.fromisoformat(as_of) if as_of else None
    return services.publish_due_stories(now=now)


@task()
def render_issue_pdf_task(issue_id: int) -> str:
    return services.render_issue_pdf(issue_id)
