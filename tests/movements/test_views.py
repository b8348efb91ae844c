import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory, make_unit
from tests.factories.movements import indicator_ids
from thidua.movements import services
from thidua.movements.models import Movement, Registration

pytestmark = pytest.mark.django_db


def test_list_shows_movements_of_ancestors_and_own_subtree(client, movement, tree, ward_officer):
    client.force_login(ward_officer)
    body = client.get(reverse("movements:list")).content.decode()
    assert movement.title in body


def test_movement_of_another_province_is_404(client, movement, tree, superuser):
    other_province = make_unit("Tỉnh khác", code="97", kind_code="province")
    foreign = services.create_movement(
        superuser,
        title="Phong trào tỉnh khác",
        owner_unit=other_province,
        kind="thematic",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 31),
        schedule="monthly",
        indicators=[{"name": "A"}],
    )
    officer = UserFactory(username="o", roles=[("officer", tree["bo_de"])])
    client.force_login(officer)
    for name in ("movements:detail", "movements:dashboard", "movements:dashboard_export"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
        assert client.get(reverse(name, args=[999_999])).status_code == 404
    assert foreign.title not in client.get(reverse("movements:list")).content.decode()


def test_a_ward_officer_opens_the_city_dashboard_on_their_own_ward(
    client, movement, tree, ward_officer
):
    client.force_login(ward_officer)
    detail = client.get(reverse("movements:detail", args=[movement.pk])).content.decode()
    url = reverse("movements:dashboard", args=[movement.pk])
    assert url in detail  # the link on the movement's page works for them
    response = client.get(url)
    assert response.status_code == 200 and response.context["root"] == tree["bo_de"]
    # asking for the city itself, or a sibling ward, stays refused
    for unit in ("city", "phuc_loi"):
        assert client.get(url, {"unit": tree[unit].pk}).status_code == 404


def test_draft_of_a_unit_above_is_hidden(client, tree, admin_user, ward_officer):
    draft = services.create_movement(
        admin_user,
        title="Bản nháp",
        owner_unit=tree["city"],
        kind="thematic",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 31),
        schedule="monthly",
    )
    client.force_login(ward_officer)
    assert client.get(reverse("movements:detail", args=[draft.pk])).status_code == 404


def test_create_movement_refused_to_citizen(client, tree):
    citizen = UserFactory(username="dan", roles=[("citizen", tree["bo_de"])])
    client.force_login(citizen)
    assert client.get(reverse("movements:create")).status_code == 403


def test_create_movement_form_errors_write_nothing(client, tree, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("movements:create"),
        {
            "title": "",
            "owner_unit": tree["city"].pk,
            "kind": "thematic",
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
            "schedule": "monthly",
            "due_days": "10",
            "reminder_days": "3",
            "ind-TOTAL_FORMS": "1",
            "ind-INITIAL_FORMS": "0",
            "ind-0-name": "A",
            "ind-0-target": "abc",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in body
    assert "Ngày kết thúc không được trước ngày bắt đầu." in body
    assert not Movement.objects.exists()


def test_register_for_a_unit_without_role_is_403(client, movement, tree, ward_officer):
    client.force_login(ward_officer)
    url = reverse("movements:register", args=[movement.pk])
    assert client.get(url, {"unit": tree["bo_de"].pk}).status_code == 200
    assert client.get(url, {"unit": tree["phuc_loi"].pk}).status_code == 404
    target = f"target_{indicator_ids(movement)[0]}"
    response = client.post(f"{url}?unit={tree['bo_de'].pk}", {"note": "x", target: "-3"})
    assert response.status_code == 200
    assert not Registration.objects.exists()
    response = client.post(f"{url}?unit={tree['bo_de'].pk}", {"note": "x", target: "30"})
    assert response.status_code == 302
    assert Registration.objects.get().pledged_targets.get().target == 30


def test_pledged_targets_are_typed_the_office_way(client, movement, tree, ward_officer):
    """A Vietnamese officer types 1.250,5 (or 2,5 or 2.5): all are read as numbers."""
    client.force_login(ward_officer)
    url = reverse("movements:register", args=[movement.pk])
    target = f"target_{indicator_ids(movement)[0]}"
    response = client.post(f"{url}?unit={tree['bo_de'].pk}", {"note": "x", target: "1.250,5"})
    assert response.status_code == 302
    assert Registration.objects.get().pledged_targets.get().target == Decimal("1250.5")


def test_report_form_refuses_bad_values_with_translated_errors(
    client, movement, tree, ward_officer
):
    sum_id, ratio_id = indicator_ids(movement)
    period = movement.periods.first()
    client.force_login(ward_officer)
    url = reverse("movements:report_edit", args=[movement.pk])
    response = client.post(
        f"{url}?unit={tree['bo_de'].pk}&period={period.pk}",
        {f"value_{sum_id}": "mười", f"value_{ratio_id}": "4", "submit": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nhập một số." in body or "Nhập một số" in body
    assert not movement.reports.exists()


def test_decision_by_unit_own_leader_is_refused(client, movement, tree, ward_officer):
    report = services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=movement.periods.first(),
        values={},
        submit=True,
    )
    own_leader = UserFactory(username="own", roles=[("leader", tree["bo_de"])])
    client.force_login(own_leader)
    response = client.post(
        reverse("movements:report_decide", args=[movement.pk, report.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_units_and_reports(
    client, movement, tree, admin_user
):
    sum_id, _ = indicator_ids(movement)
    period = movement.periods.first()
    client.force_login(admin_user)
    url = reverse("movements:dashboard", args=[movement.pk]) + f"?period={period.pk}"
    report = services.save_report(
        admin_user,
        movement=movement,
        unit=tree["bo_de"],
        period=period,
        values={sum_id: 5},
        submit=True,
    )
    services.accept_report(admin_user, report=report)
    one = _count(client, url)
    for n in range(3):
        ward = make_unit(f"Phường mới {n}", parent=tree["tay_ho"], code=f"W{n}")
        services.register(admin_user, movement=movement, unit=ward)
        report = services.save_report(
            admin_user, movement=movement, unit=ward, period=period, values={sum_id: n}, submit=True
        )
        services.accept_report(admin_user, report=report)
    assert _count(client, url) == one
    # The page's own reads (coverage, results, targets) are a handful of queries; the rest is
    # the session, the user, their grants and the form's choices.
    assert one <= 16, one


def test_movement_list_query_count(client, tree, admin_user):
    client.force_login(admin_user)
    url = reverse("movements:list")

    def create(n):
        services.create_movement(
            admin_user,
            title=f"Phong trào {n}",
            owner_unit=tree["city"],
            kind="thematic",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 3, 31),
            schedule="monthly",
        )

    create(0)
    one = _count(client, url)
    create(1)
    create(2)
    assert _count(client, url) == one


def test_dashboard_export_is_a_real_safe_workbook(client, movement, tree, admin_user):
    make_unit("=cmd|' /C calc'!A0", parent=tree["tay_ho"], code="EVIL")
    client.force_login(admin_user)
    period = movement.periods.first()
    response = client.get(
        reverse("movements:dashboard_export", args=[movement.pk]), {"period": period.pk}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    coverage = workbook[workbook.sheetnames[1]]
    values = [cell for row in coverage.iter_rows() for cell in row]
    assert any(str(c.value).startswith("Quận Long Biên") for c in values)
    assert all(c.data_type != "f" for c in values)
    missing = workbook["Chưa báo cáo"]
    evil = [c for row in missing.iter_rows() for c in row if "cmd" in str(c.value)]
    assert len(evil) == 1
    assert evil[0].data_type == "s" and evil[0].value == "'=cmd|' /C calc'!A0"


def test_public_movement_page_needs_no_login(client, movement):
    response = client.get(reverse("public_movements:public_detail", args=[movement.slug]))
    assert response.status_code == 200
    assert movement.title in response.content.decode()


def test_staff_home_lists_what_is_due(client, movement, tree, ward_officer, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 4, 2))
    client.force_login(ward_officer)
    body = client.get(reverse("staff_home")).content.decode()
    assert "2026-Q1" in body and movement.title in body


def test_whole_movement_counts_reports_as_a_period_does(client, movement, tree, admin_user):
    """The default (whole-movement) dashboard said "0 reported" beside accepted reports: a unit
    that reported for a period counts as reported, and a registered unit that missed a period
    already past due counts as late."""
    from thidua.movements.models import Period

    sum_id, _ = indicator_ids(movement)
    today = timezone.localdate()
    first, second, *later = list(movement.periods.all())
    Period.objects.filter(pk__in=[first.pk, second.pk]).update(due_on=today - dt.timedelta(days=1))
    Period.objects.filter(pk__in=[p.pk for p in later]).update(due_on=today + dt.timedelta(days=30))
    for ward in ("bo_de", "phuc_loi"):
        services.register(admin_user, movement=movement, unit=tree[ward])
    for period in (first, second):  # Bồ Đề reports for every period past due
        report = services.save_report(
            admin_user,
            movement=movement,
            unit=tree["bo_de"],
            period=period,
            values={sum_id: 5},
            submit=True,
        )
        services.accept_report(admin_user, report=report)
    # Phúc Lợi reported only the first period: it has reported, and it is late for the second.
    services.save_report(
        admin_user,
        movement=movement,
        unit=tree["phuc_loi"],
        period=first,
        values={sum_id: 2},
        submit=True,
    )
    client.force_login(admin_user)
    response = client.get(reverse("movements:dashboard", args=[movement.pk]))
    total = response.context["coverage"].total
    assert (total.registered, total.reported, total.late) == (2, 2, 1)
    by_period = (
        client.get(reverse("movements:dashboard", args=[movement.pk]), {"period": first.pk})
        .context["coverage"]
        .total
    )
    assert by_period.reported == 2
    body = response.content.decode()
    assert 'data-testid="reported-total">2 ' in body
    # "who is late" lists the district of Phúc Lợi only
    late = client.get(
        reverse("movements:dashboard", args=[movement.pk]), {"late": "1", "sort": "-late"}
    )
    names = [row.unit.name for row in late.context["rows_page"]]
    assert names == ["Quận Long Biên"]
