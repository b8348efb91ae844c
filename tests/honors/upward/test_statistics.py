"""An honour conferred by an outside body's decision counts in the statutory statistics like the
Front's own, in the form column of its award (issue #23 with #19's reports)."""

import datetime as dt

import pytest

from tests.factories.honors import pdf
from tests.honors.upward.helpers import TODAY
from thidua.honors.services import upward
from thidua.reports import selectors
from thidua.reports.engine import cell_key
from thidua.reports.models import StatRegime
from thidua.reports.regimes import ensure_regimes

pytestmark = pytest.mark.django_db


def _statistical_year(day: dt.date) -> int:
    """The regime's year runs from 1 December to 30 November."""
    return day.year + 1 if day.month == 12 else day.year


def test_the_statistics_count_an_outside_honour_in_its_form_column(sent, people, approved, tree):
    ensure_regimes()
    year = _statistical_year(TODAY)
    before = selectors.compute_form(tree["city"], "tt-02-2023", "0603", year)
    upward.record_outside_decision(
        people["city_leader"],
        proposal=sent,
        number="5123/QĐ-UBND",
        signed_on=TODAY,
        signer="Trần Sỹ Thanh",
        honoured=approved,
        file=pdf("quyet-dinh.pdf"),
    )
    after = selectors.compute_form(tree["city"], "tt-02-2023", "0603", year)
    form = StatRegime.objects.get(code="tt-02-2023").forms.get(code="0603")
    column = next(column for column in form.columns if column["code"] == "2")
    row = next(row for row in form.rows if row.get("code") == "05")
    assert column["label"]["vi"] == "Bằng khen" and row["label"]["vi"] == "Cá nhân"
    key = cell_key("05", "2")  # individuals × certificates of merit
    assert after.get(key, 0) - before.get(key, 0) == 2
