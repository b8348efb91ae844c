"""The roll-up table of accepted values is kept in step by every path that changes them, and a
rebuild from the reports gives exactly what the incremental additions gave."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.movements import indicator_ids
from thidua.core.actors import SystemActor
from thidua.core.models import AuditEvent
from thidua.movements import offline, services, totals
from thidua.movements.models import IndicatorTotal, Report, ReportValue
from thidua.movements.services.offline import import_reports
from thidua.movements.services.totals import rebuild_totals

pytestmark = pytest.mark.django_db


def q(movement, label):
    return movement.periods.get(label=label)


def submit(actor, movement, unit, period, values, bases=None):
    return services.save_report(
        actor,
        movement=movement,
        unit=unit,
        period=period,
        values=values,
        bases=bases or {},
        submit=True,
    )


def from_values(movement):
    """The sums of the accepted values, straight from the report values, keyed as the table."""
    accepted = ReportValue.objects.filter(
        report__movement=movement, report__status=Report.Status.ACCEPTED
    )
    expected = {}
    for period in (True, False):
        fields = ["indicator_id", "report__unit_id"] + (["report__period_id"] if period else [])
        for row in accepted.values(*fields).annotate(t=Sum("value"), b=Sum("base"), n=Count("*")):
            key = (row.get("report__period_id"), row["indicator_id"], row["report__unit_id"])
            expected[key] = (row["t"], row["b"] or Decimal(0), row["n"])
    return expected


@pytest.fixture
def accepted(movement, tree, admin_user):
    """Accepted reports of two wards over two periods, one only submitted, one returned."""
    sum_id, ratio_id = indicator_ids(movement)
    for unit, label, value, good, base in (
        (tree["bo_de"], "2026-Q1", 40, 30, 60),
        (tree["bo_de"], "2026-Q2", 2.5, 1, 4),
        (tree["phuc_loi"], "2026-Q1", 25, 5, 20),
    ):
        report = submit(
            admin_user,
            movement,
            unit,
            q(movement, label),
            {sum_id: value, ratio_id: good},
            {ratio_id: base},
        )
        services.accept_report(admin_user, report=report)
    submit(admin_user, movement, tree["quang_an"], q(movement, "2026-Q1"), {sum_id: 1000})
    returned = submit(admin_user, movement, tree["phuc_loi"], q(movement, "2026-Q2"), {sum_id: 9})
    services.return_report(admin_user, report=returned, reason="Sai số liệu")
    return movement


def test_accepting_adds_the_values_per_period_and_over_all_periods(accepted, tree):
    sum_id, ratio_id = indicator_ids(accepted)
    stored = totals.stored_totals(accepted)
    assert stored == from_values(accepted)
    bo_de, q1 = tree["bo_de"].pk, q(accepted, "2026-Q1").pk
    assert stored[(q1, sum_id, bo_de)] == (Decimal("40.00"), Decimal(0), 1)
    assert stored[(None, sum_id, bo_de)] == (Decimal("42.50"), Decimal(0), 2)
    assert stored[(None, ratio_id, bo_de)] == (Decimal("31.00"), Decimal("64.00"), 2)
    # submitted and returned reports count nowhere
    assert not IndicatorTotal.objects.filter(unit=tree["quang_an"]).exists()
    assert totals.compare_totals(accepted) == 0


def test_a_second_acceptance_of_the_same_report_adds_nothing(accepted, admin_user):
    before = totals.stored_totals(accepted)
    report = Report.objects.filter(movement=accepted, status=Report.Status.ACCEPTED).first()
    stale = Report.objects.get(pk=report.pk)
    stale.status = Report.Status.SUBMITTED  # as a second tab still shows it
    with pytest.raises(ValidationError):
        services.accept_report(admin_user, report=stale)
    assert totals.stored_totals(accepted) == before


def test_accepting_costs_the_same_queries_whatever_the_values(movement, tree, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sum_id, ratio_id = indicator_ids(movement)
    one = submit(admin_user, movement, tree["bo_de"], q(movement, "2026-Q1"), {sum_id: 1})
    two = submit(
        admin_user,
        movement,
        tree["phuc_loi"],
        q(movement, "2026-Q1"),
        {sum_id: 1, ratio_id: 1},
        {ratio_id: 2},
    )
    counts = []
    for report in (one, two):
        with CaptureQueriesContext(connection) as queries:
            services.accept_report(admin_user, report=report)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert totals.compare_totals(movement) == 0


def test_rebuild_equals_the_incremental_table(accepted, admin_user):
    incremental = totals.stored_totals(accepted)
    assert rebuild_totals(admin_user, movement=accepted) == 0
    assert totals.stored_totals(accepted) == incremental
    assert AuditEvent.objects.filter(verb="movements.rebuild_totals").count() == 1


def test_rebuild_repairs_rows_out_of_step_and_needs_the_right_to_manage(
    accepted, tree, ward_officer, admin_user
):
    from django.core.exceptions import PermissionDenied

    incremental = totals.stored_totals(accepted)
    IndicatorTotal.objects.filter(movement=accepted, unit=tree["bo_de"]).first().delete()
    IndicatorTotal.objects.filter(movement=accepted, period__isnull=True).update(count=99)
    broken = totals.compare_totals(accepted)
    assert broken >= 2
    with pytest.raises(PermissionDenied):
        rebuild_totals(ward_officer, movement=accepted)
    assert rebuild_totals(admin_user, movement=accepted) == broken
    assert totals.stored_totals(accepted) == incremental


def test_the_command_compares_with_dry_run_and_rebuilds_without(accepted, tree):
    IndicatorTotal.objects.filter(movement=accepted, unit=tree["bo_de"]).delete()
    out = io.StringIO()
    call_command("rebuild_indicator_totals", movement=accepted.pk, dry_run=True, stdout=out)
    # 2 indicators × (Q1, Q2 and all periods)
    assert "6 rows out of step would be rewritten" in out.getvalue()
    assert not IndicatorTotal.objects.filter(movement=accepted, unit=tree["bo_de"]).exists()
    out = io.StringIO()
    call_command("rebuild_indicator_totals", stdout=out)
    assert "6 rows out of step rewritten" in out.getvalue()
    assert totals.stored_totals(accepted) == from_values(accepted)


def test_the_offline_import_submits_so_the_table_moves_only_on_acceptance(
    accepted, tree, admin_user
):
    sum_id, ratio_id = indicator_ids(accepted)
    before = totals.stored_totals(accepted)
    q3 = q(accepted, "2026-Q3")
    rows = [
        row
        for row in offline.template_rows(accepted, unit=tree["city"], periods=[q3])
        if row.unit_code in (tree["bo_de"].code, tree["quang_an"].code)
    ]
    for row in rows:
        row.values = {sum_id: (Decimal(7), None), ratio_id: (Decimal(1), Decimal(2))}
    workbook = offline.write_template(accepted, unit=tree["city"], rows=rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_reports(
        admin_user, movement=accepted, unit=tree["city"], rows_or_path=buffer.getvalue()
    )
    assert result.created == 2
    assert totals.stored_totals(accepted) == before
    for report in Report.objects.filter(movement=accepted, period=q3):
        services.accept_report(admin_user, report=report)
    assert totals.stored_totals(accepted) == from_values(accepted)
    assert totals.stored_totals(accepted)[(None, sum_id, tree["bo_de"].pk)][0] == Decimal("49.50")


def test_a_system_actor_rebuilds_as_the_benchmark_loader_does(accepted):
    assert rebuild_totals(SystemActor("test"), movement=accepted) == 0


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["bo_de", "phuc_loi", "quang_an"]),
            st.sampled_from(["2026-Q1", "2026-Q2"]),
            st.decimals(min_value=0, max_value=10**9, places=2),
            st.booleans(),
        ),
        max_size=6,
        unique_by=lambda item: (item[0], item[1]),
    )
)
def test_the_table_always_equals_the_accepted_values(movement, tree, admin_user, reports):
    IndicatorTotal.objects.filter(movement=movement).delete()
    Report.objects.filter(movement=movement).delete()
    sum_id, _ratio = indicator_ids(movement)
    for name, label, value, accept in reports:
        report = submit(admin_user, movement, tree[name], q(movement, label), {sum_id: value})
        if accept:
            services.accept_report(admin_user, report=report)
    assert totals.stored_totals(movement) == from_values(movement)
    assert totals.compare_totals(movement) == 0


def test_totals_of_a_period_read_only_that_periods_rows(accepted, tree):
    from thidua.movements import selectors

    sum_id, _ratio = indicator_ids(accepted)
    q2 = selectors.results(accepted, root=tree["city"], periods=[q(accepted, "2026-Q2")])
    assert q2[0].value == Decimal("2.50")
    both = selectors.results(
        accepted, root=tree["city"], periods=list(accepted.periods.filter(label__lt="2026-Q3"))
    )
    whole = selectors.results(accepted, root=tree["city"], tree=dt.date(2026, 8, 1))
    assert both[0].value == whole[0].value == Decimal("67.50")
    assert both[1].value == whole[1].value == Decimal("0.4286")  # 36 / 84
