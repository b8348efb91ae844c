"""What the statutory statistics (forms 0602 and 0603) need to know of an award and an honour.

An award type counts in one column of one form: `stat_column` (e.g. "0603.bang_khen"). When it
is empty the column is derived from the award's Vietnamese name, so an award type added later
(an order, the Prime Minister's certificate of merit...) counts without anyone setting it; an
award that no form counts (a grassroots award) derives to nothing.

An honour's `position_band` places an individual in the rows "leaders at ministry/province
level", "... at department level", "business people", "other leaders", "direct workers".
Pure functions: the data migration and the selectors share them.
"""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatColumn(models.TextChoices):
    NONE = "none", _("Counted in no statistical form")
    # form 0602: State-level awards
    ORDER = "0602.huan_chuong", _("0602 · Orders")
    MEDAL = "0602.huy_chuong", _("0602 · Medals")
    HO_CHI_MINH_PRIZE = "0602.giai_thuong_hcm", _("0602 · Hồ Chí Minh Prize")
    STATE_PRIZE = "0602.giai_thuong_nha_nuoc", _("0602 · State Prize")
    HONORARY_TITLE = "0602.danh_hieu_vinh_du", _("0602 · State honorary titles")
    GOVERNMENT_FLAG = "0602.co_thi_dua_cp", _("0602 · Government emulation flag")
    PRIME_MINISTER_CERTIFICATE = "0602.bang_khen_ttcp", _("0602 · Prime Minister's certificate")
    NATIONAL_FIGHTER = "0602.cstd_toan_quoc", _("0602 · National emulation fighter")
    STATE_OTHER = "0602.khac", _("0602 · Other forms")
    # form 0603: ministry, central mass organisation and province level
    CERTIFICATE_OF_MERIT = "0603.bang_khen", _("0603 · Certificate of merit")
    PROVINCE_FIGHTER = "0603.cstd", _("0603 · Emulation fighter (ministry/province)")
    PROVINCE_FLAG = "0603.co_thi_dua", _("0603 · Emulation flag (ministry/province)")
    BADGE = "0603.ky_niem_chuong", _("0603 · Commemorative badge")


class PositionBand(models.TextChoices):
    LEADER_MINISTRY_PROVINCE = (
        "leader_ministry_province",
        _("Leader at ministry/province level and above"),
    )
    LEADER_DEPARTMENT = "leader_department", _("Leader at department level")
    BUSINESS_PERSON = "business_person", _("Business person")
    LEADER_OTHER = "leader_other", _("Other leader (deputy head of division and above)")
    DIRECT_WORKER = "direct_worker", _("Directly working, producing, studying, fighting")
    OTHER = "other", _("Other")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


# (start of the plain Vietnamese name, column): the first match wins, longest names first.
NAME_PREFIXES: list[tuple[str, str]] = [
    ("bang khen cua thu tuong", StatColumn.PRIME_MINISTER_CERTIFICATE),
    ("bang khen thu tuong", StatColumn.PRIME_MINISTER_CERTIFICATE),
    ("co thi dua cua chinh phu", StatColumn.GOVERNMENT_FLAG),
    ("co thi dua chinh phu", StatColumn.GOVERNMENT_FLAG),
    ("chien si thi dua toan quoc", StatColumn.NATIONAL_FIGHTER),
    ("chien si thi dua cap bo", StatColumn.PROVINCE_FIGHTER),
    ("chien si thi dua cap tinh", StatColumn.PROVINCE_FIGHTER),
    ("chien si thi dua co so", StatColumn.NONE),
    ("giai thuong ho chi minh", StatColumn.HO_CHI_MINH_PRIZE),
    ("giai thuong nha nuoc", StatColumn.STATE_PRIZE),
    ("huan chuong", StatColumn.ORDER),
    ("huy chuong", StatColumn.MEDAL),
    ("danh hieu vinh du nha nuoc", StatColumn.HONORARY_TITLE),
    ("ba me viet nam anh hung", StatColumn.HONORARY_TITLE),
    ("anh hung", StatColumn.HONORARY_TITLE),
    ("nha giao nhan dan", StatColumn.HONORARY_TITLE),
    ("nha giao uu tu", StatColumn.HONORARY_TITLE),
    ("thay thuoc nhan dan", StatColumn.HONORARY_TITLE),
    ("thay thuoc uu tu", StatColumn.HONORARY_TITLE),
    ("nghe si nhan dan", StatColumn.HONORARY_TITLE),
    ("nghe si uu tu", StatColumn.HONORARY_TITLE),
    ("nghe nhan nhan dan", StatColumn.HONORARY_TITLE),
    ("nghe nhan uu tu", StatColumn.HONORARY_TITLE),
    ("ky niem chuong", StatColumn.BADGE),
    ("co thi dua", StatColumn.PROVINCE_FLAG),
    ("bang khen", StatColumn.CERTIFICATE_OF_MERIT),
]


def derived_stat_column(name_vi: str) -> str:
    """The form column an award counts in, from its Vietnamese name ("none" if no form counts
    it)."""
    plain = _plain(name_vi)
    for prefix, column in NAME_PREFIXES:
        if plain.startswith(prefix):
            return str(column)
    return str(StatColumn.NONE)


def stat_column_of(stat_column: str, name_vi: str) -> str:
    return stat_column or derived_stat_column(name_vi)
