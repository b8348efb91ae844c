"""axe-core (from npm, `package.json` at the repository root) run in Chromium on the pages people
use most: no serious or critical violation on the staff home, a movement dashboard, the public
home, the call form and the certificate check, on a desktop and on a phone."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories.honors import approve, nominate
from thidua.honors import services as honors
from thidua.honors.models import Certificate
from thidua.initiatives import services as initiatives
from thidua.initiatives.models import Call
from thidua.movements import services as movements
from thidua.movements.models import Movement

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not AXE.exists(), reason="axe-core is not installed: run `npm ci` at the repository root"
    ),
]

SEVERE = {"serious", "critical"}


def severe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations;
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + json.dumps([n["target"] for n in v["nodes"][:5]], ensure_ascii=False)
        for v in results
        if v["impact"] in SEVERE
    ]


@pytest.fixture
def world(tree, people, city_round, awards):
    from thidua.org.models import UnitKind

    leader = people["city_leader"]
    today = timezone.localdate()
    movement = movements.launch_movement(
        leader,
        movement=movements.create_movement(
            leader,
            title="Toàn dân đoàn kết xây dựng đời sống văn hóa",
            owner_unit=tree["city"],
            kind=Movement.Kind.STANDING,
            starts_on=today - dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=300),
            schedule=Movement.Schedule.QUARTERLY,
            scope_kinds=[UnitKind.objects.get(code="ward")],
            indicators=[{"name": "Hộ văn hóa", "unit_of_measure": "hộ", "aggregation": "sum"}],
        ),
    )
    call = initiatives.create_call(
        leader,
        owner_unit=tree["city"],
        council=city_round.council,
        title="Sáng kiến vì cộng đồng 2026",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=30),
    )
    initiatives.set_call_status(leader, call=call, status=Call.Status.OPEN)
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    decision = honors.issue_decision(
        leader,
        round=city_round,
        number="7/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
    certificate = Certificate.objects.get(honour__decision=decision)
    return {"movement": movement, "call": call, "certificate": certificate}


DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_no_serious_or_critical_violation(browser, live_server, world, viewport):
    # bypass_csp: axe is injected as a script the site's own policy would (rightly) refuse.
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=viewport, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    certificate = world["certificate"]
    public = {
        "public home": "/",
        "call form": f"/p/calls/{world['call'].slug}/submit/",
        "certificate check": "/p/verify/",
        "certificate checked": (
            f"/p/verify/?serial={certificate.serial}&code={certificate.check_code}"
        ),
    }
    found = {}
    for name, url in public.items():
        page.goto(url)
        found[name] = severe_violations(page)
    page.goto("/accounts/login/")
    page.fill("#id_username", "city-leader")
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    page.wait_for_url("**/staff/")
    staff = {
        "staff home": "/staff/",
        "inbox": "/work/",
        "movement dashboard": f"/movements/{world['movement'].pk}/dashboard/",
    }
    for name, url in staff.items():
        page.goto(url)
        found[name] = severe_violations(page)
    context.close()
    assert not any(found.values()), json.dumps(found, ensure_ascii=False, indent=1)
