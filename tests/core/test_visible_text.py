"""The checker the demo crawl uses finds what people should not read, and only that."""

from tests.visible_text import convention_problems, visible_text


def test_reads_only_visible_text():
    html = (
        '<p>Xin chào <a href="/x/honors.vote">a</a><input value="2024-12-27"></p>'
        "<script>var a = 'honors.vote';</script><p hidden>tdkt.bode3</p>"
        "<dd data-identifier>lanhdao.bode</dd>"
    )
    assert visible_text(html) == "Xin chào  a"
    assert convention_problems(html) == []


def test_finds_codes_usernames_raw_amounts_decimal_counts_and_iso_dates():
    html = (
        "<p>honors.vote · tdkt.bode3 · 37440000 đ · 2500,00 hộ · 0,9130 · 2024-12-27</p>"
        "<td><code>honors.endorse</code></td>"
    )
    found = convention_problems(html)
    assert "internal code: honors.vote" in found
    assert "internal code: tdkt.bode3" in found
    assert "internal code: honors.endorse" in found
    assert "ungrouped number: 37440000" in found
    assert "decimals on a count: 2500,00" in found
    assert "decimals on a count: 0,9130" in found
    assert "ISO date: 2024-12-27" in found


def test_office_writing_passes():
    html = (
        "<p>126.095 lượt · 91,3 % · 37.440.000 đ · 2,5 · 27/12/2024 · v.v. · bao-cao.xlsx"
        " · ban@mttq.hanoi.gov.vn · 0912345678 · 1568/QĐ-MTTQ · 01-2024-0000024</p>"
        "<td><code data-identifier>3f9a001234</code></td>"
    )
    assert convention_problems(html) == []
