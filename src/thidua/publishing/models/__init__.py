"""The newsroom: columns, static pages, stories with revisions and photos, links to the domain
objects a story tells about, bulletin issues with frozen revisions, and writers' fees."""

from thidua.publishing.models.bulletin import Fee, FeeRate, Issue, IssueSlot
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
    "FeeRate",
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
