import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory, make_unit
from tests.factories.movements import indicator_ids
from thidua.core.models import AuditEvent, Notification
from thidua.movements import selectors, services
from thidua.movements.models import Movement, Period, Registration, Report, ReportValue, Work

pytestmark = pytest.mark.django_db


def q1(movement):
    return movement.periods.get(label="2026-Q1")


def test_launch_generates_quarterly_periods_with_due_dates(movement):
    periods = list(movement.periods.all())
    assert [p.label for p in periods] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert periods[0].ends_on == dt.date(2026, 3, 31)
    assert periods[0].due_on == dt.date(2026, 4, 10)
    assert movement.status == Movement.Status.LAUNCHED


def test_monthly_and_yearly_periods_clip_to_the_movement():
    movement = Movement(
        starts_on=dt.date(2024, 11, 15),
        ends_on=dt.date(2025, 2, 10),
        schedule="monthly",
        due_days=5,
    )
    labels = [(p.label, p.starts_on, p.ends_on) for p in services.generate_periods(movement)]
    assert labels[0] == ("2024-11", dt.date(2024, 11, 15), dt.date(2024, 11, 30))
    assert labels[-1] == ("2025-02", dt.date(2025, 2, 1), dt.date(2025, 2, 10))
    movement.schedule = "yearly"
    assert [p.label for p in services.generate_periods(movement)] == ["2024", "2025"]


def test_officer_cannot_launch_a_movement_for_a_unit_above(tree, ward_officer):
    with pytest.raises(PermissionDenied):
        services.create_movement(
            ward_officer,
            title="X",
            owner_unit=tree["city"],
            kind="thematic",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            schedule="monthly",
        )
    assert not Movement.objects.exists()


def test_bad_movement_input_writes_nothing(tree, admin_user):
    with pytest.raises(ValidationError):
        services.create_movement(
            admin_user,
            title="X",
            owner_unit=tree["city"],
            kind="thematic",
            starts_on=dt.date(2026, 5, 1),
            ends_on=dt.date(2026, 2, 1),
            schedule="monthly",
        )
    with pytest.raises(ValidationError):
        services.create_movement(
            admin_user,
            title="Y",
            owner_unit=tree["city"],
            kind="thematic",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            schedule="monthly",
            indicators=[{"name": "A"}, {"name": "A"}],
        )
    assert not Movement.objects.exists()


def test_ward_registers_with_targets_and_congress_work(movement, tree, ward_officer):
    sum_id, ratio_id = indicator_ids(movement)
    registration = services.register(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        note="Cam kết",
        targets={sum_id: "120"},
    )
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.pledged_targets.get().target == Decimal("120.00")
    work = services.add_work(
        ward_officer, registration=registration, title="Vườn hoa", is_congress_work=True
    )
    assert work.owner_unit == tree["bo_de"]
    cover = selectors.coverage(movement, root=tree["long_bien"])
    assert (cover.total.expected, cover.total.registered) == (2, 1)
    assert cover.total.without_congress_work == 1


def test_unit_outside_scope_cannot_register(movement, tree, superuser):
    # A residential group is not a participating kind; the city is the launcher itself.
    for unit in (tree["group"], tree["city"]):
        with pytest.raises(ValidationError):
            services.register(superuser, movement=movement, unit=unit)
    outsider = make_unit("Tỉnh khác", code="99", kind_code="province")
    other_ward = make_unit("Xã khác", parent=make_unit("Huyện", parent=outsider), code="99001")
    with pytest.raises(ValidationError):
        services.register(superuser, movement=movement, unit=other_ward)
    assert not Registration.objects.exists()


def test_officer_of_another_ward_cannot_register_mine(movement, tree):
    other = UserFactory(username="quang-an-officer", roles=[("officer", tree["quang_an"])])
    with pytest.raises(PermissionDenied):
        services.register(other, movement=movement, unit=tree["bo_de"])
    assert not Registration.objects.exists()


def test_registration_twice_is_refused_unless_returned(
    movement, tree, ward_officer, district_leader
):
    registration = services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    with pytest.raises(ValidationError):
        services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    services.return_registration(
        district_leader, registration=registration, reason="Thiếu chỉ tiêu"
    )
    again = services.register(ward_officer, movement=movement, unit=tree["bo_de"], note="Bổ sung")
    assert again.pk == registration.pk and again.status == Registration.Status.SUBMITTED


def test_report_flow_submit_return_resubmit_accept_keeps_history(
    movement, tree, ward_officer, district_leader, django_capture_on_commit_callbacks
):
    sum_id, ratio_id = indicator_ids(movement)
    period = q1(movement)
    report = services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=period,
        values={sum_id: "40", ratio_id: "40"},
        bases={ratio_id: "50"},
        submit=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(district_leader, report=report, reason="Số liệu chưa khớp")
    assert Notification.objects.filter(user=ward_officer).count() == 1
    assert "Số liệu chưa khớp" in mail.outbox[0].body
    report = services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=period,
        values={sum_id: "45", ratio_id: "45"},
        bases={ratio_id: "50"},
        submit=True,
    )
    services.accept_report(district_leader, report=report)
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED
    history = list(report.events.values_list("status", "reason"))
    assert history == [
        ("submitted", ""),
        ("returned", "Số liệu chưa khớp"),
        ("submitted", ""),
        ("accepted", ""),
    ]
    assert report.events.first().values[str(sum_id)][0] == "40.00"
    assert ReportValue.objects.get(report=report, indicator_id=sum_id).value == Decimal("45")


def test_report_for_a_period_twice_is_refused(movement, tree, ward_officer):
    sum_id, _ratio = indicator_ids(movement)
    period = q1(movement)
    services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=period,
        values={sum_id: 10},
        submit=True,
    )
    with pytest.raises(ValidationError, match="đã báo cáo|already reported"):
        services.save_report(
            ward_officer,
            movement=movement,
            unit=tree["bo_de"],
            period=period,
            values={sum_id: 99},
            submit=True,
        )
    assert Report.objects.count() == 1
    assert ReportValue.objects.get().value == Decimal("10")


def test_bad_report_values_write_nothing(movement, tree, ward_officer):
    sum_id, ratio_id = indicator_ids(movement)
    period = q1(movement)
    for values, bases in (
        ({sum_id: "abc"}, {}),
        ({sum_id: "-5"}, {}),
        ({ratio_id: "3"}, {}),
        ({ratio_id: "3"}, {ratio_id: "0"}),
        ({999999: "3"}, {}),
    ):
        with pytest.raises(ValidationError):
            services.save_report(
                ward_officer,
                movement=movement,
                unit=tree["bo_de"],
                period=period,
                values=values,
                bases=bases,
                submit=True,
            )
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="movements.submit").exists()


def test_period_of_another_movement_is_refused(movement, tree, admin_user, ward_officer):
    other = services.launch_movement(
        admin_user,
        movement=services.create_movement(
            admin_user,
            title="Khác",
            owner_unit=tree["city"],
            kind="thematic",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 3, 31),
            schedule="monthly",
            indicators=[{"name": "A"}],
        ),
    )
    with pytest.raises(ValidationError):
        services.save_report(
            ward_officer,
            movement=movement,
            unit=tree["bo_de"],
            period=other.periods.first(),
            values={},
        )
    assert not Report.objects.exists()


def test_only_a_leader_of_the_parent_decides(movement, tree, ward_officer):
    report = services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=q1(movement),
        values={},
        submit=True,
    )
    own_leader = UserFactory(username="bode-leader", roles=[("leader", tree["bo_de"])])
    sibling_leader = UserFactory(username="tayho-leader", roles=[("leader", tree["tay_ho"])])
    for user in (own_leader, sibling_leader, ward_officer):
        with pytest.raises(PermissionDenied):
            services.accept_report(user, report=report)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_returning_needs_a_reason(movement, tree, ward_officer, district_leader):
    report = services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=q1(movement),
        values={},
        submit=True,
    )
    with pytest.raises(ValidationError):
        services.return_report(district_leader, report=report, reason="  ")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_closed_movement_refuses_reports(movement, tree, admin_user, ward_officer):
    services.close_movement(admin_user, movement=movement)
    with pytest.raises(ValidationError):
        services.register(ward_officer, movement=movement, unit=tree["bo_de"])


def test_dashboard_totals_equal_accepted_reports_under_both_trees(
    movement, tree, admin_user, ward_officer, district_leader
):
    """A restructuring merges Bồ Đề and Phúc Lợi: totals under then and now are the same."""
    from thidua.org.services import apply_restructuring

    sum_id, _ratio = indicator_ids(movement)
    period = q1(movement)
    accepted = 0
    for unit, value in ((tree["bo_de"], 40), (tree["phuc_loi"], 25), (tree["quang_an"], 7)):
        report = services.save_report(
            admin_user,
            movement=movement,
            unit=unit,
            period=period,
            values={sum_id: value},
            submit=True,
        )
        services.accept_report(admin_user, report=report)
        accepted += value
    # A submitted but not accepted report does not count.
    services.save_report(
        admin_user,
        movement=movement,
        unit=tree["bo_de"],
        period=movement.periods.get(label="2026-Q2"),
        values={sum_id: 1000},
        submit=True,
    )
    apply_restructuring(
        admin_user,
        effective_date=dt.date(2026, 7, 1),
        title="Sáp nhập",
        operations=[
            {
                "op": "merge",
                "units": [tree["bo_de"].code, tree["phuc_loi"].code],
                "into": {"code": "LB-NEW", "name": "Phường Long Biên mới"},
            }
        ],
    )
    then = selectors.results(movement, root=tree["city"], tree="then")[0]
    now = selectors.results(movement, root=tree["city"], tree=dt.date(2026, 8, 1))[0]
    assert then.value == now.value == Decimal(accepted)
    lb_then = dict((u.code, v) for u, v in then.by_child)
    assert lb_then[tree["long_bien"].code] == Decimal(65)
    lb_now = selectors.results(movement, root=tree["long_bien"], tree=dt.date(2026, 8, 1))[0]
    assert dict((u.code, v) for u, v in lb_now.by_child) == {"LB-NEW": Decimal(65)}


def test_ratio_and_average_aggregations(movement, tree, admin_user):
    sum_id, ratio_id = indicator_ids(movement)
    period = q1(movement)
    for unit, value, base in ((tree["bo_de"], 30, 60), (tree["quang_an"], 10, 40)):
        report = services.save_report(
            admin_user,
            movement=movement,
            unit=unit,
            period=period,
            values={ratio_id: value},
            bases={ratio_id: base},
            submit=True,
        )
        services.accept_report(admin_user, report=report)
    ratio = selectors.results(movement, root=tree["city"])[1]
    assert ratio.value == Decimal("0.4000")  # (30 + 10) / (60 + 40), not the mean of ratios


def test_coverage_lists_late_units(movement, tree, ward_officer, admin_user, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 5, 1))
    period = q1(movement)
    services.save_report(
        ward_officer, movement=movement, unit=tree["bo_de"], period=period, values={}, submit=True
    )
    services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    services.register(admin_user, movement=movement, unit=tree["phuc_loi"])
    cover = selectors.coverage(movement, root=tree["city"], period=period)
    # Late: registered and not reported after the due date (Quảng An never registered).
    assert cover.total.expected == 3 and cover.total.reported == 1 and cover.total.late == 1
    assert {u.code for u in cover.missing} == {tree["phuc_loi"].code, tree["quang_an"].code}


def test_due_from_officer(movement, tree, ward_officer, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 4, 5))
    due = selectors.due_from(ward_officer)
    assert [(d.unit.code, d.period.label) for d in due][:1] == [(tree["bo_de"].code, "2026-Q1")]
    services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=q1(movement),
        values={},
        submit=True,
    )
    assert "2026-Q1" not in [d.period.label for d in selectors.due_from(ward_officer)]


def test_work_status_and_evidence(movement, tree, ward_officer):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    registration = services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    work = services.add_work(ward_officer, registration=registration, title="Đường hoa")
    services.set_work_status(ward_officer, work=work, status=Work.Status.DONE)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(buffer, format="PNG")
    png = SimpleUploadedFile("anh.png", buffer.getvalue(), "image/png")
    services.add_evidence(ward_officer, work=work, file=png, caption="Ảnh")
    html = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationError):
        services.add_evidence(ward_officer, work=work, file=html)
    assert work.evidence.count() == 1
    assert Work.objects.get(pk=work.pk).status == "done"


def test_local_drive_must_be_inside_the_higher_movement(movement, tree, admin_user, superuser):
    outsider = make_unit("Tỉnh khác", code="98", kind_code="province")
    with pytest.raises(ValidationError):
        services.create_movement(
            superuser,
            title="Phát động riêng",
            owner_unit=outsider,
            kind="thematic",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 6, 30),
            schedule="monthly",
            parent=movement,
        )
    drive = services.create_movement(
        admin_user,
        title="Đợt thi đua Long Biên",
        owner_unit=tree["long_bien"],
        kind="thematic",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 6, 30),
        schedule="monthly",
        parent=movement,
        indicators=[{"name": "A"}],
    )
    assert drive.parent == movement
    assert Period.objects.filter(movement=drive).count() == 0


def test_reminders_go_once_to_the_units_that_owe_a_report(
    movement, tree, ward_officer, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from thidua.core.actors import SystemActor
    from thidua.movements.services.reminders import send_due_reminders

    phuc_loi_officer = UserFactory(
        username="pl-officer", language="en", roles=[("officer", tree["phuc_loi"])]
    )
    period = q1(movement)  # due 2026-04-10, reminders 3 days before
    services.save_report(
        ward_officer, movement=movement, unit=tree["bo_de"], period=period, values={}, submit=True
    )
    assert send_due_reminders(SystemActor("test"), on=dt.date(2026, 4, 1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_due_reminders(SystemActor("test"), on=dt.date(2026, 4, 8))
    assert sent == 1  # Phúc Lợi's officer; Bồ Đề reported; Quảng An has nobody to tell
    message = Notification.objects.get(user=phuc_loi_officer).message
    assert message.startswith("Report due on 10/04/2026")  # the office date, in English too
    assert mail.outbox[0].to == [phuc_loi_officer.email]
    assert "10/04/2026" in mail.outbox[0].body and "2026-04-10" not in mail.outbox[0].body
    call_command("send_reminders", "--date", "2026-04-09")
    assert Notification.objects.filter(user=phuc_loi_officer).count() == 1
