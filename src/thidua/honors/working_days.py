"""Working days in Vietnam: Monday to Friday, less the public holidays (Tết, Hùng Kings'
day, 30 April, 1 May, National Day and the days observed in lieu) as the `holidays` package
lists them. Time limits of commendation dossiers are counted in these days (e.g. 20 working days
at commune level)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

COUNTRY = "VN"


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(COUNTRY, years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (`start` itself when `days` is 0)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
