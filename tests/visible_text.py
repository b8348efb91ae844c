"""What a person reads on a page, and what in it breaks the office conventions (CONVENTIONS, "What
people see"): dotted internal codes and usernames, money or counts without thousands separators,
counts with decimals, ISO dates.

Used by the demo crawl (tests/honors/test_demo.py) on every staff page of the Hà Nội demo.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is not read as text
_HIDDEN = {"script", "style", "template", "noscript", "textarea", "select", "datalist", "svg"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.chunks: list[tuple[str, bool]] = []  # (text, inside <code>)

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        attributes = dict(attrs)
        # data-identifier: an identifier shown on purpose, labelled (your own login name, a
        # unit's official administrative code, an audit hash)
        hidden = (
            tag in _HIDDEN
            or "hidden" in attributes
            or "data-identifier" in attributes
            or attributes.get("aria-hidden") == "true"
        )
        self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden():
            in_code = any(tag in ("code", "kbd", "samp") for tag, _ in self.stack)
            self.chunks.append((data, in_code))


def visible_chunks(html: str) -> list[tuple[str, bool]]:
    """Pieces of visible text, each with whether it sits in a <code> element (hashes)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.chunks


def visible_text(html: str) -> str:
    return " ".join(text for text, _ in visible_chunks(html))


_WORD = r"[a-z_][a-z0-9_]*"
DOTTED_CODE = re.compile(rf"(?<![\w.@/\-]){_WORD}(?:\.{_WORD})+(?![\w@/]|\.\w)")
# Dotted things people do write: abbreviations and file names
_ALLOWED_DOTTED = re.compile(
    r"^(v\.v|e\.g|i\.e|etc|tp\.\w+)$|\.(pdf|xlsx|xls|csv|docx?|png|jpe?g|zip|txt|vn|com|org|net)$"
)
UNGROUPED = re.compile(r"(?<![\w.,/:\-#])\d{5,}(?![\w/\-])")
PHONE = re.compile(r"^0\d{8,10}$")
DECIMAL_ZEROS = re.compile(r"(?<![\w.,])\d+(?:\.\d{3})*,\d*0(?!\d)")
POINT_DECIMAL = re.compile(r"(?<![\w.,])\d+\.\d{1,2}(?![\d.,])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def convention_problems(html: str) -> list[str]:
    """Everything on the page (in Vietnamese) a person should not see: each problem as
    "kind: excerpt"."""
    problems: list[str] = []
    for text, in_code in visible_chunks(html):
        for match in DOTTED_CODE.finditer(text):
            if not _ALLOWED_DOTTED.search(match.group()):
                problems.append(f"internal code: {match.group()}")
        for match in ISO_DATE.finditer(text):
            problems.append(f"ISO date: {match.group()}")
        if in_code:  # a hash fragment may be all digits
            continue
        for match in UNGROUPED.finditer(text):
            if not PHONE.match(match.group()):
                problems.append(f"ungrouped number: {match.group()}")
        for match in DECIMAL_ZEROS.finditer(text):
            problems.append(f"decimals on a count: {match.group()}")
        for match in POINT_DECIMAL.finditer(text):
            problems.append(f"decimal point: {match.group()}")
    return problems
