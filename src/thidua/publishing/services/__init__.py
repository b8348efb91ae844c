"""Writes of the newsroom: stories and their workflow (`stories`), photos and links
(`media`), columns and pages (`columns`), bulletin issues (`issues`), writers' fees (`fees`)."""

from thidua.publishing.services.columns import (
    create_column,
    ensure_columns,
    move_column,
    rename_column,
    retire_column,
    save_column,
    save_page,
)
from thidua.publishing.services.fees import (
    add_rate_version,
    approve_fees,
    approve_month_fees,
    propose_fees,
    propose_month_fees,
)
from thidua.publishing.services.issues import (
    approve_issue,
    create_issue,
    place_story,
    publish_issue,
    remove_slot,
    render_issue_pdf,
    send_to_proof,
)
from thidua.publishing.services.media import add_photo, link_story, remove_photo, unlink_story
from thidua.publishing.services.stories import (
    TRANSITIONS,
    approve_story,
    create_story,
    edit_story,
    publish_due_stories,
    publish_story,
    return_story,
    schedule_story,
    start_review,
    submit_story,
    unpublish_story,
)

__all__ = [
    "TRANSITIONS",
    "add_photo",
    "add_rate_version",
    "approve_fees",
    "approve_month_fees",
    "approve_issue",
    "approve_story",
    "create_column",
    "create_issue",
    "create_story",
    "edit_story",
    "ensure_columns",
    "link_story",
    "move_column",
    "place_story",
    "propose_fees",
    "propose_month_fees",
    "publish_due_stories",
    "publish_issue",
    "publish_story",
    "remove_photo",
    "remove_slot",
    "rename_column",
    "retire_column",
    "render_issue_pdf",
    "return_story",
    "save_column",
    "save_page",
    "schedule_story",
    "send_to_proof",
    "start_review",
    "submit_story",
    "unlink_story",
    "unpublish_story",
]
