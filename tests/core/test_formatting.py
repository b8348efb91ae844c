"""Numbers, money and dates the Vietnamese office way (and English/Indonesian their own way)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from thidua.core.formatting import (
    formal_date,
    format_count,
    format_date,
    format_money,
    format_number,
    format_percent,
    money_in_words,
    parse_decimal,
    vietnamese_words,
)
from thidua.core.forms import LocalDecimalField


@pytest.mark.parametrize(
    ("language", "count", "measure", "share", "money"),
    [
        ("vi", "126.095", "2.500", "91,3 %", "37.440.000 đ"),
        ("id", "126.095", "2.500", "91,3%", "37.440.000 VND"),
        ("en", "126,095", "2,500", "91.3%", "VND 37,440,000"),
    ],
)
def test_numbers_follow_each_language(language, count, measure, share, money):
    assert format_count(126095, language=language) == count
    assert format_number(Decimal("2500.00"), language=language) == measure
    assert format_percent(Decimal("0.9130"), language=language) == share
    assert format_money(37440000, language=language) == money


def test_measures_keep_only_meaningful_decimals():
    assert format_number(Decimal("2.50"), language="vi") == "2,5"
    assert format_number(Decimal("1234.567"), language="vi") == "1.234,57"
    assert format_number(-0.001, language="vi") == "0"
    assert format_percent(Decimal("0.700"), 0, language="vi") == "70 %"
    assert format_number(None) == ""
    assert format_number("—") == "—"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (5, "năm"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (105, "một trăm linh năm"),
        (1005, "một nghìn không trăm linh năm"),
        (126095, "một trăm hai mươi sáu nghìn không trăm chín mươi lăm"),
        (37440000, "ba mươi bảy triệu bốn trăm bốn mươi nghìn"),
        (2000050000, "hai tỷ không trăm năm mươi nghìn"),
    ],
)
def test_vietnamese_words_as_financial_documents_write_them(number, words):
    assert vietnamese_words(number) == words


def test_money_in_words_on_formal_documents():
    assert money_in_words(37440000, language="vi") == (
        "Ba mươi bảy triệu bốn trăm bốn mươi nghìn đồng"
    )
    assert money_in_words(1500, language="en").startswith("One thousand")


def test_dates():
    assert format_date(dt.date(2024, 12, 27)) == "27/12/2024"
    assert formal_date(dt.date(2024, 12, 27), language="vi") == "ngày 27 tháng 12 năm 2024"
    assert formal_date(dt.date(2025, 2, 3), language="vi") == "ngày 03 tháng 02 năm 2025"
    assert formal_date(dt.date(2025, 7, 1), language="vi") == "ngày 01 tháng 7 năm 2025"


@pytest.mark.parametrize(
    ("typed", "vi", "en"),
    [
        ("2,5", "2.5", "2.5"),
        ("2.5", "2.5", "2.5"),
        ("1.234,5", "1234.5", "1234.5"),
        ("1,234.5", "1234.5", "1234.5"),
        ("1.234", "1234", "1.234"),
        ("1 234,5", "1234.5", "1234.5"),
        ("-3,75", "-3.75", "-3.75"),
    ],
)
def test_typed_decimals_accept_comma_and_point(typed, vi, en):
    assert parse_decimal(typed, language="vi") == Decimal(vi)
    assert parse_decimal(typed, language="en") == Decimal(en)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "", "2..5"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


def test_decimal_form_field_reads_the_office_way():
    field = LocalDecimalField(required=False)
    with translation.override("vi"):
        assert field.clean("2,5") == Decimal("2.5")
        assert field.clean("1.500") == Decimal("1500")
        with pytest.raises(Exception, match="2,5"):
            field.clean("hai")


def test_template_filters_and_default_date_format():
    template = Template(
        "{% load thidua %}{{ n|count }}|{{ r|percent }}|{{ m|money }}|{{ d }}|{{ d|day }}"
    )
    context = Context({"n": 126095, "r": 0.913, "m": 37440000, "d": dt.date(2024, 12, 27)})
    with translation.override("vi"):
        assert template.render(context) == "126.095|91,3 %|37.440.000 đ|27/12/2024|27/12/2024"


def test_a_leading_zero_is_never_a_thousands_group():
    assert parse_decimal("0.500", language="vi") == Decimal("0.5")
    assert parse_decimal("0,700", language="vi") == Decimal("0.7")


@pytest.mark.parametrize("language", ["vi", "en", "id"])
@pytest.mark.parametrize("value", [Decimal("2500.00"), Decimal("0.500"), Decimal("1234567.25")])
def test_decimal_field_shows_stored_values_the_way_it_reads_them(language, value):
    field = LocalDecimalField(decimal_places=3)
    with translation.override(language):
        shown = field.prepare_value(value)
        assert field.clean(shown) == value


def test_iso_dates_from_task_queues_are_shown_the_office_way():
    assert format_date("2024-12-27") == "27/12/2024"
    assert format_date("not a date") == "not a date"


def test_excel_cells_stay_numbers_and_dates_with_office_formats():
    from thidua.core.excel import add_table, new_workbook
    from thidua.core.formatting import EXCEL_COUNT, EXCEL_DATE, EXCEL_MONEY, EXCEL_NUMBER

    workbook = new_workbook()
    sheet = add_table(
        workbook,
        "T",
        ["Count", "Measure", "Day", "Money", "Text"],
        [[126095, Decimal("2.5"), dt.date(2024, 12, 27), 37440000, "=cmd"]],
        formats=[None, None, None, EXCEL_MONEY, None],
    )
    count, measure, day, money, text = (sheet.cell(row=2, column=c) for c in range(1, 6))
    assert (count.value, count.number_format) == (126095, EXCEL_COUNT)
    assert (measure.value, measure.number_format) == (Decimal("2.5"), EXCEL_NUMBER)
    assert day.is_date and day.number_format == EXCEL_DATE
    assert (money.value, money.number_format) == (37440000, EXCEL_MONEY)
    assert text.value == "'=cmd"
