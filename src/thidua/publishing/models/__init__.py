"""The newsroom: columns, static pages, stories with revisions and photos, links to the domain
objects a story tells about, bulletin issues with frozen revisions, and writers' fees."""

from thidua.publishing.models.bulletin import Fee, Issue, IssueSlot
from thidua.publishing.models.stories import (
    Column,
    LinkKind,
    Photo,
    Revision,
    StaticPage,
    Story,
    StoryLink,
    StoryType,
)

__all__ = [
    "Column",
    "Fee",
    "Issue",
    "IssueSlot",
    "LinkKind",
    "Photo",
    "Revision",
    "StaticPage",
    "Story",
    "StoryLink",
    "StoryType",
]
