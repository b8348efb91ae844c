"""Rich text as stored: nh3 keeps headings, paragraphs, lists, links, quotes, emphasis and
images served by this site; it drops scripts, styles, event-handler attributes and any URL
scheme but http(s), mailto and relative ones. Applied on every save, never only on display."""

from __future__ import annotations

import html as html_module
import re

import nh3

BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|td|th|tr)>|<br\s*/?>", re.I)

TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "strong", "b", "em", "i",
    "u", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}


def _keep_local_images(tag: str, attribute: str, value: str) -> str | None:
    # An image from another site would load from outside (offline intranets, privacy): only
    # images of this site (a path starting with "/") are kept.
    if tag == "img" and attribute == "src" and not (value.startswith("/") and "//" not in value):
        return None
    return value


def clean_html(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_keep_local_images,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(html: str) -> str:
    """The text of a fragment, for search and feeds' summaries (blocks apart by a space)."""
    spaced = BLOCK_END.sub(" ", html or "")
    return html_module.unescape(" ".join(nh3.clean(spaced, tags=set()).split()))
