"""Constants and builders of the proposals-upward tests (their fixtures are in conftest.py)."""

import datetime as dt

from django.utils import timezone

from tests.factories.honors import pdf
from thidua.honors.services import upward

UBND = "bang-khen-chu-tich-ubnd-tp"
TODAY = timezone.localdate()
DATED = TODAY - dt.timedelta(days=10)


def complete(proposal, actor):
    """Add what the committee's rule asks for beyond the nominations' dossiers: the minutes."""
    return upward.add_upward_document(
        actor, proposal=proposal, kind="vote_minutes", file=pdf("bien-ban-hop.pdf")
    )
