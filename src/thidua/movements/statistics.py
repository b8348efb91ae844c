"""What the statutory statistics (form 0601, "số phong trào thi đua") need to know of a movement:
the level that launched it, its scope (clusters and blocks have a row of their own), its method
(thematic or regular) and its duration band.

A movement may state its launch level, scope and method; when it does not, they are derived
from the launching unit's level and the movement's kind. The duration band always comes from
the dates. Pure functions: the data migration and the selectors share them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class LaunchLevel(models.TextChoices):
    CENTRAL = "central", _("Central level")
    MINISTRY_PROVINCE = "ministry_province", _("Ministry, central mass organisation, province")
    AGENCY = "agency", _("Agency or unit")


class Scope(models.TextChoices):
    NATIONAL = "national", _("Nationwide")
    MINISTRY_LOCALITY = "ministry_locality", _("Ministry, mass organisation or locality")
    CLUSTER = "cluster", _("Emulation cluster or block")
    AGENCY = "agency", _("Agency or unit")


class Method(models.TextChoices):
    THEMATIC = "thematic", _("Thematic")
    REGULAR = "regular", _("Regular, yearly")


class DurationBand(models.TextChoices):
    UNDER_ONE_YEAR = "under_1", _("Under 1 year")
    ONE_YEAR = "one_year", _("1 year")
    ONE_TO_THREE = "1_3", _("From 1 to under 3 years")
    THREE_TO_FIVE = "3_5", _("From 3 to under 5 years")
    FIVE_AND_MORE = "5_plus", _("5 years and more")


# The level of the unit kinds seeded for Vietnam (org's UnitKind.code).
CENTRAL_KINDS = frozenset({"nation"})
PROVINCE_KINDS = frozenset({"province"})


def derived_launch_level(unit_kind_code: str) -> str:
    if unit_kind_code in CENTRAL_KINDS:
        return LaunchLevel.CENTRAL
    if unit_kind_code in PROVINCE_KINDS:
        return LaunchLevel.MINISTRY_PROVINCE
    return LaunchLevel.AGENCY


def derived_scope(unit_kind_code: str) -> str:
    if unit_kind_code in CENTRAL_KINDS:
        return Scope.NATIONAL
    if unit_kind_code in PROVINCE_KINDS:
        return Scope.MINISTRY_LOCALITY
    return Scope.AGENCY


def derived_method(movement_kind: str) -> str:
    return Method.THEMATIC if movement_kind == "thematic" else Method.REGULAR


def months_between(starts_on: dt.date, ends_on: dt.date) -> int:
    """Whole months from the first day to the day after the last (1/1–31/12 is 12 months; a
    few days short or over a month boundary still count as the nearer month)."""
    after = ends_on + dt.timedelta(days=1)
    months = (after.year - starts_on.year) * 12 + (after.month - starts_on.month)
    days = after.day - starts_on.day
    if days >= 15:
        months += 1
    elif days <= -15:
        months -= 1
    return max(months, 0)


def duration_band(starts_on: dt.date, ends_on: dt.date) -> str:
    months = months_between(starts_on, ends_on)
    if months < 12:
        return DurationBand.UNDER_ONE_YEAR
    if months == 12:
        return DurationBand.ONE_YEAR
    if months < 36:
        return DurationBand.ONE_TO_THREE
    if months < 60:
        return DurationBand.THREE_TO_FIVE
    return DurationBand.FIVE_AND_MORE
