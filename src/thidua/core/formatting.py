"""Numbers, money and dates the way each language's offices write them — the one place pages,
PDFs, Excel files and e-mails take them from (CONVENTIONS: "What people see").

Vietnamese: 126.095 · 91,3 % · 37.440.000 đ · 27/12/2024 · "ngày 27 tháng 12 năm 2024".
Indonesian: 126.095 · 91,3% · 37.440.000 VND · 27/12/2024. English: 126,095 · 91.3% ·
VND 37,440,000 · 27/12/2024.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation
from num2words import num2words

# (thousands separator, decimal mark, space before "%")
_SEPARATORS = {"vi": (".", ",", " "), "id": (".", ",", ""), "en": (",", ".", "")}


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "vi").split("-")[0].lower()
    return code if code in _SEPARATORS else "en"


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value: Any, places: int = 2, *, language: str | None = None) -> str:
    """A count or measure: whole numbers without decimals (2.500, never 2.500,00), others with at
    most `places` decimals, trailing zeros dropped. Anything not a number is returned as text."""
    number = _to_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if not number.is_finite():
        return str(value)
    thousands, mark, _ = _SEPARATORS[_language(language)]
    quantum = Decimal(1).scaleb(-places) if places > 0 else Decimal(1)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", thousands)
    if sign and grouped == "0" and not fraction:
        sign = ""
    return f"{sign}{grouped}{mark}{fraction}" if fraction else f"{sign}{grouped}"


def format_count(value: Any, *, language: str | None = None) -> str:
    """A whole count: 126.095."""
    return format_number(value, 0, language=language)


def format_percent(ratio: Any, places: int = 1, *, language: str | None = None) -> str:
    """A share given as a fraction (0.913) shown as a percentage: 91,3 % in Vietnamese."""
    number = _to_decimal(ratio)
    if number is None:
        return "" if ratio is None else str(ratio)
    language = _language(language)
    space = _SEPARATORS[language][2]
    return f"{format_number(number * 100, places, language=language)}{space}%"


def format_money(amount: Any, *, language: str | None = None) -> str:
    """Vietnamese đồng, without decimals: 37.440.000 đ (VND 37,440,000 in English)."""
    number = _to_decimal(amount)
    if number is None:
        return "" if amount is None else str(amount)
    language = _language(language)
    figure = format_number(number, 0, language=language)
    if language == "vi":
        return f"{figure} đ"
    if language == "id":
        return f"{figure} VND"
    return f"VND {figure}"


_VI_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _vi_below_thousand(number: int, *, full: bool) -> str:
    """0–999 read as on Vietnamese financial documents; `full` when a higher group precedes it
    ("một nghìn không trăm linh năm")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_VI_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_VI_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(_VI_DIGITS[units])
    return " ".join(words)


def _vi_below_billion(number: int, *, full: bool) -> str:
    groups = [(number // 1_000_000) % 1000, (number // 1000) % 1000, number % 1000]
    words: list[str] = []
    for group, scale in zip(groups, ("triệu", "nghìn", ""), strict=True):
        if group == 0 and not (full or words):
            continue
        if group == 0:
            continue
        words.append(_vi_below_thousand(group, full=full or bool(words)))
        if scale:
            words.append(scale)
    return " ".join(words)


def vietnamese_words(number: int) -> str:
    """An integer in Vietnamese words, the way financial documents write it ("một nghìn không
    trăm linh năm"; num2words' "vi" reads 126.095 as "…nghìn lẻ chín mươi lăm", which no
    accountant writes)."""
    if number == 0:
        return "không"
    if number < 0:
        return "âm " + vietnamese_words(-number)
    billions, rest = divmod(number, 1_000_000_000)
    if not billions:
        return _vi_below_billion(rest, full=False)
    words = vietnamese_words(billions) + " tỷ"
    return f"{words} {_vi_below_billion(rest, full=True)}" if rest else words


def money_in_words(amount: Any, *, language: str | None = None) -> str:
    """The amount in words as decisions and certificates write it, capitalised:
    "Ba mươi bảy triệu bốn trăm bốn mươi nghìn đồng"."""
    number = _to_decimal(amount)
    if number is None:
        return ""
    whole = int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    language = _language(language)
    if language == "vi":
        text = vietnamese_words(whole) + " đồng"
    else:
        text = num2words(whole, lang="id" if language == "id" else "en") + " dong"
    return text[:1].upper() + text[1:]


def format_date(value: Any, *, language: str | None = None) -> str:
    """dd/mm/yyyy (the office date in all three languages); datetimes in local time."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):  # ISO dates carried through task queues and JSON
        try:
            return format_date(
                dt.datetime.fromisoformat(value)
                if "T" in value or " " in value
                else dt.date.fromisoformat(value)
            )
        except ValueError:
            return value
    return str(value)


def formal_date(value: Any, *, language: str | None = None) -> str:
    """The date as formal documents write it: "ngày 27 tháng 12 năm 2024"."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    language = _language(language)
    if language == "vi":
        # Decree 30/2020: days below 10 and the months January and February take a leading zero
        month = f"{value.month:02d}" if value.month < 3 else str(value.month)
        return f"ngày {value.day:02d} tháng {month} năm {value.year}"
    if language == "id":
        months = [
            "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
            "Agustus", "September", "Oktober", "November", "Desember",
        ]  # fmt: skip
        return f"{value.day} {months[value.month - 1]} {value.year}"
    return value.strftime("%d %B %Y").lstrip("0")


# "0.500" is a decimal in every language; thousands groups never start with 0
_THREE_DIGIT_GROUPS = re.compile(r"^[1-9]\d{0,2}([.,]\d{3})+$")


def parse_decimal(text: str, *, language: str | None = None) -> Decimal:
    """A number typed by a person, with "," or "." as the decimal mark: "2,5", "2.5",
    "1.234,5", "1,234.5", "1 234,5". A single mark followed by exactly three digits is read as
    thousands in Vietnamese and Indonesian ("1.234" = 1234), as a decimal in English.
    Raises ValueError when the text is not a number."""
    cleaned = re.sub(r"[\s\u00a0\u202f_]", "", str(text)).replace("đ", "").replace("%", "")
    if not cleaned or not re.fullmatch(r"[-+]?[\d.,]+", cleaned):
        raise ValueError(text)
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = cleaned[0].replace("+", ""), cleaned[1:]
    if "," in cleaned and "." in cleaned:
        mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        other = "." if mark == "," else ","
        cleaned = cleaned.replace(other, "").replace(mark, ".")
    elif cleaned.count(",") + cleaned.count(".") > 1:
        if not _THREE_DIGIT_GROUPS.match(cleaned):
            raise ValueError(text)
        cleaned = cleaned.replace(",", "").replace(".", "")
    elif "," in cleaned or "." in cleaned:
        mark = "," if "," in cleaned else "."
        head, _, tail = cleaned.partition(mark)
        thousands = _SEPARATORS[_language(language)][0]
        if len(tail) == 3 and head and mark == thousands and _THREE_DIGIT_GROUPS.match(cleaned):
            cleaned = head + tail
        else:
            cleaned = f"{head or '0'}.{tail}"
    try:
        return Decimal(sign + cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error


# Excel number formats: the cell stays a number, the reader's Excel shows it in its own locale.
EXCEL_COUNT = "#,##0"
EXCEL_NUMBER = "#,##0.##"
EXCEL_PERCENT = "0.0%"
EXCEL_MONEY = '#,##0 "đ"'
EXCEL_DATE = "dd/mm/yyyy"
