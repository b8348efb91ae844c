"""`seed_movements`: the six demo movements of Hà Nội on the real tree (2024 and today's).

The whole Hà Nội demo (`seed_demo`) is built once per test run and shared with the other demo
modules (`tests/hanoi_demo.py`); each test runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from thidua.accounts.models import User
from thidua.demo.movements import ENDS_ON, MOVEMENTS, STARTS_ON
from thidua.movements import selectors
from thidua.movements.models import Indicator, Movement, Report, ReportEvent, Work
from thidua.org.models import Unit

pytestmark = pytest.mark.django_db


TITLES = {
    "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
    "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
    "Người Việt Nam ưu tiên dùng hàng Việt Nam",
    "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau",
    "Toàn dân bảo vệ an ninh Tổ quốc",
    "Đoàn kết sáng tạo",
}
POOR = "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau"
COUNTED_APPS = ("movements", "core", "org", "accounts")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in COUNTED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def hanoi() -> Unit:
    return Unit.objects.get(code="01", kind__code="province", valid_to__isnull=True)


def bo_de() -> Unit:
    return Unit.objects.get(name="Phường Bồ Đề", kind__code="ward", valid_to__isnull=True)


@pytest.mark.usefixtures("hanoi_demo")
class TestSeedMovements:
    def test_six_movements_are_launched_by_hanoi_for_its_wards(self):
        # the city's own movements (the demo's other apps launch drives of their own under them)
        movements = list(
            Movement.objects.filter(owner_unit=hanoi()).prefetch_related(
                "scope_kinds", "fields", "indicators"
            )
        )
        assert {m.title for m in movements} == TITLES == {spec.title for spec in MOVEMENTS}
        for movement in movements:
            assert movement.status == Movement.Status.LAUNCHED
            assert movement.owner_unit == hanoi()
            assert [k.code for k in movement.scope_kinds.all()] == ["ward"]
            assert (movement.starts_on, movement.ends_on) == (STARTS_ON, ENDS_ON)
            assert movement.description
            assert movement.fields.exists()
            assert 2 <= len(movement.indicators.all()) <= 3
            for indicator in movement.indicators.all():
                assert indicator.targets.filter(unit_kind__code="ward").exists()
            periods = list(movement.periods.all())
            assert periods[0].starts_on == STARTS_ON and periods[-1].ends_on == ENDS_ON

    def test_2024_reports_are_on_legacy_wards_and_later_ones_on_current_wards(self):
        reports = Report.objects.filter(movement__owner_unit=hanoi()).select_related(
            "unit", "period"
        )
        assert reports.filter(period__ends_on__lt=dt.date(2025, 7, 1)).exists()
        assert reports.filter(period__starts_on__gte=dt.date(2025, 7, 1)).exists()
        for report in reports:
            assert report.unit.kind.code == "ward"
            assert report.unit.is_valid_on(report.period.ends_on), report
            assert report.unit.is_current == (report.period.ends_on >= dt.date(2025, 7, 1))

    @pytest.mark.parametrize("period_label", ["2024-Q1", None])
    def test_totals_are_the_same_under_the_tree_of_then_and_of_today(self, period_label):
        movement = Movement.objects.get(title=POOR)
        periods = list(movement.periods.filter(label=period_label)) if period_label else None
        then = selectors.results(movement, root=hanoi(), periods=periods, tree="then")
        now = selectors.results(movement, root=hanoi(), periods=periods, tree=timezone.localdate())
        sums = [
            (a, b)
            for a, b in zip(then, now, strict=True)
            if a.indicator.aggregation == Indicator.Aggregation.SUM
        ]
        assert sums
        for a, b in sums:
            assert a.value > 0
            assert a.value == b.value, a.indicator
        # then: under the 2024 districts; today: under the current wards that carry them
        kinds = {child.kind.code for child, value in then[0].by_child if value}
        assert kinds == ({"district"} if period_label else {"district", "ward"})
        assert {child.kind.code for child, value in now[0].by_child if value} == {"ward"}
        # rows are carried by fractional shares and rounded one by one to 0.01
        rows = [value for _, value in now[0].by_child if value]
        assert abs(sum(rows) - now[0].value) <= Decimal("0.01") * len(rows)

    def test_the_roll_up_table_is_in_step_with_the_accepted_reports(self):
        from thidua.movements.models import IndicatorTotal
        from thidua.movements.totals import compare_totals

        assert IndicatorTotal.objects.exists()
        for movement in Movement.objects.filter(owner_unit=hanoi()):
            assert compare_totals(movement) == 0, movement

    def test_coverage_has_registered_and_unregistered_units(self):
        unreported = 0
        for movement in Movement.objects.filter(owner_unit=hanoi()):
            today = selectors.coverage(movement, root=hanoi())
            assert 0 < today.total.registered < today.total.expected, movement
            first = movement.periods.first()
            then = selectors.coverage(movement, root=hanoi(), period=first)
            assert 0 < then.total.reported <= then.total.registered < then.total.expected
            assert then.missing and then.no_congress
            assert {row.unit.kind.code for row in then.rows} == {"district"}
            unreported += then.total.registered - then.total.reported
        assert unreported  # some registered wards did not report

    def test_most_registered_units_have_a_congress_work_and_a_few_none(self):
        for movement in Movement.objects.filter(owner_unit=hanoi()):
            registered = set(
                movement.registrations.exclude(status="returned").values_list("unit", flat=True)
            )
            with_work = set(
                Work.objects.filter(movement=movement, is_congress_work=True).values_list(
                    "owner_unit", flat=True
                )
            )
            assert with_work <= registered
            assert 0.7 * len(registered) <= len(with_work) < len(registered), movement

    def test_returned_reports_carry_a_reason_and_most_were_corrected(self):
        returned = ReportEvent.objects.filter(status=Report.Status.RETURNED)
        assert returned.count() >= 5
        assert all(event.reason for event in returned)
        corrected = Report.objects.filter(
            events__status=Report.Status.RETURNED, status=Report.Status.ACCEPTED
        )
        assert corrected.exists()
        statuses = list(corrected.first().events.values_list("status", flat=True))
        assert statuses == ["submitted", "returned", "submitted", "accepted"]
        assert Report.objects.filter(status=Report.Status.RETURNED).exists()
        assert Report.objects.filter(status=Report.Status.DRAFT).exists()

    def test_the_city_leader_has_decisions_waiting(self):
        waiting = selectors.pending_decisions(User.objects.get(username="lanhdao"))
        assert waiting["registrations"] and waiting["reports"]

    def test_the_bo_de_officer_owes_a_report_due_soon(self):
        today = timezone.localdate()
        if not STARTS_ON <= today <= ENDS_ON - dt.timedelta(days=31):
            pytest.skip("the demo's monthly periods do not run today")
        due = selectors.due_from(User.objects.get(username="canbo"))
        assert due
        assert {item.unit for item in due} == {bo_de()}
        assert not any(item.overdue for item in due)
        draft = next(item for item in due if item.report is not None)
        assert draft.report.status == Report.Status.DRAFT
        assert today <= draft.period.due_on <= today + dt.timedelta(days=45)

    def test_bo_de_data_is_entered_by_its_officer_and_decided_by_the_city(self):
        events = ReportEvent.objects.filter(report__unit=bo_de())
        assert set(events.filter(status="submitted").values_list("actor__username", flat=True)) == {
            "canbo"
        }
        assert set(
            events.exclude(status="submitted").values_list("actor__username", flat=True)
        ) == {"lanhdao"}

    def test_a_second_run_changes_nothing(self):
        before = row_counts()
        out = io.StringIO()
        call_command("seed_movements", stdout=out)
        assert row_counts() == before
        assert "Movements created: 0, already there: 6" in out.getvalue()
