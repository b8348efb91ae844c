"""A page's <title> is plain text: a block title that swallowed part of the page (a section
pasted before its `{% endblock %}`) shows markup in the browser's tab and hides nothing."""

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "thidua"
TITLE = re.compile(r"{% block title %}(.*?){% endblock", re.S)
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_title_block_holds_no_markup(path):
    for title in TITLE.findall(path.read_text(encoding="utf-8")):
        assert "<" not in title and "\n" not in title.strip(), title[:120]
