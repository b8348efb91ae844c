"""The mobilization part of the Hà Nội demo (`tests/hanoi_demo.py` builds it once per run): the
Bồ Đề drive's Decree 93 report lists what its cases were paid, and the names posted at one
group appear in public only there, only during the window."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from thidua.accounts.models import RoleGrant
from thidua.demo.mobilization import CITY_FUND, WARD_FUND
from thidua.mobilization import selectors
from thidua.mobilization.models import Fund, SupportCase

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("hanoi_demo")
class TestSeedMobilization:
    def test_the_ward_drive_reports_its_payments_and_posts_names(self, client):
        fund = Fund.objects.get(name=WARD_FUND)
        drive = fund.drives.filter(cases__isnull=False).distinct().get()
        paid = SupportCase.objects.filter(drive=drive, disbursements__isnull=False).first()
        leader = RoleGrant.objects.filter(unit=fund.unit, role="leader").first().user
        client.force_login(leader)
        response = client.get(reverse("mobilization:decree93_report", args=[drive.pk, "pdf"]))
        pages = PdfReader(io.BytesIO(response.content)).pages
        text = " ".join(" ".join(p.extract_text() for p in pages).split())
        assert paid.head_name in text
        client.logout()
        support = client.get(reverse("public_mobilization:support", args=[fund.pk]))
        html = support.content.decode()
        posted = SupportCase.objects.filter(fund=fund, posting_until__isnull=False).exclude(
            status="rejected"
        )
        assert posted.exists() and all(case.head_name in html for case in posted)
        rejected = SupportCase.objects.filter(fund=fund, status="rejected").first()
        assert rejected.head_name not in html

    def test_no_demo_fund_pays_out_more_than_it_received(self, client):
        for fund in Fund.objects.all():
            totals = selectors.fund_totals(fund)
            assert totals.balance >= 0, (fund.name, totals)
        city = Fund.objects.get(name=CITY_FUND)
        leader = RoleGrant.objects.filter(unit=city.unit, role="leader").first().user
        client.force_login(leader)
        html = client.get(reverse("mobilization:fund", args=[city.pk])).content.decode()
        assert 'data-testid="overdrawn"' not in html
