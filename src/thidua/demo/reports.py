"""Demo of the statutory statistics: forms 0601, 0602, 0603 of TT 02/2023 and the Front's
supplementary table for the city Front (Thành phố Hà Nội and everything below it), period
1/12/2024–30/11/2025 (and, as drafts, 1/12/2023–30/11/2024), computed from the demo's
movements and honours (run after their seeders).
The forms are shown at several steps: 0601 submitted (frozen files), 0602 checked, 0603 signed,
the supplementary table a draft. Idempotent; everything goes through the services."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from thidua.org.models import Unit
from thidua.reports import services
from thidua.reports.models import StatRegime, StatReport
from thidua.reports.regimes import ensure_regimes

YEAR = 2025
# the year the demo's six city movements were launched (1/2024): its forms as drafts, so 0601
# shows them; the 2025 form counts the wards' own drives launched after 1/7/2025
# (demo/movements/local.py)
EARLIER = 2024
RECEIVING = "Sở Nội vụ thành phố Hà Nội"


def seed(*, stdout: TextIO | None = None) -> None:
    users = get_user_model().objects.filter(is_active=True)
    admin = users.filter(username="admin").first()
    leader = users.filter(username="lanhdao").first() or admin
    city = Unit.objects.filter(code="01", kind__code="province", valid_to__isnull=True).first()
    if admin is None or city is None:
        return
    ensure_regimes()
    if StatReport.objects.filter(unit=city, year=YEAR).exists():
        return
    regime = StatRegime.objects.get(code="tt-02-2023")
    reports = {
        r.form.code: r
        for r in services.create_reports(
            admin, unit=city, year=YEAR, regime=regime, receiving_unit=RECEIVING
        )
    }
    steps = {
        "0601": ("check", "sign", "submit"),
        "0602": ("check",),
        "0603": ("check", "sign"),
    }
    for code, actions in steps.items():
        report = reports[code]
        try:
            for action in actions:
                if action == "check":
                    services.check_report(admin, report=report)
                elif action == "sign":
                    services.sign_report(leader, report=report)
                else:
                    services.submit_report(admin, report=report)
        except ValidationError as error:
            if stdout is not None:
                stdout.write(f"  {code}: {' '.join(error.messages)}\n")
    if not StatReport.objects.filter(unit=city, year=EARLIER).exists():
        services.create_reports(
            admin, unit=city, year=EARLIER, regime=regime, receiving_unit=RECEIVING
        )
    if stdout is not None:
        cells = reports["0603"].computed
        stdout.write(
            f"  0601: {reports['0601'].computed.get('01|1', 0)} movements; "
            f"0603: {cells.get('01|1', 0)} awards\n"
        )
