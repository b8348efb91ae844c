"""The inbox for movements: reports waiting for a decision go to the leaders of the parent,
or of the nearest level above where somebody decides; counted, ordered overdue first,
filtered, paginated; the same on the page and the API; notified on arrival."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory, grant, make_unit
from tests.factories.movements import indicator_ids
from thidua.accounts.selectors import deciding_unit, routing
from thidua.core import work
from thidua.core.models import Notification
from thidua.movements import services
from thidua.movements.models import Report
from thidua.movements.work import REPORT_DECISION, REPORT_DUE


@pytest.fixture
def city_leader(tree):
    user = UserFactory(username="city-leader", roles=[("leader", tree["city"])])
    return user


def submit(actor, movement, unit, period_label="2026-Q1"):
    ids = indicator_ids(movement)
    period = movement.periods.get(label=period_label)
    return services.save_report(
        actor,
        movement=movement,
        unit=unit,
        period=period,
        values={pk: "10" for pk in ids},
        bases={pk: "20" for pk in ids[1:]},
        submit=True,
    )


def officer_of(unit, name):
    user = UserFactory(username=name, roles=[("officer", unit)])
    return user


def fresh(user):
    """The same person in a new request (grants and routing are read once per user object)."""
    return type(user).objects.get(pk=user.pk)


def decisions(user, **filters):
    return work.inbox(fresh(user), work_filter=work.WorkFilter(**filters))


# --- routing -------------------------------------------------------------------------------


def test_a_report_goes_to_the_leader_of_the_parent_when_there_is_one(
    tree, movement, district_leader, city_leader
):
    submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    assert [i.kind for i in decisions(district_leader, kinds=frozenset([REPORT_DECISION])).items]
    assert decisions(city_leader, kinds=frozenset([REPORT_DECISION])).total == 0


def test_a_report_is_forwarded_up_where_nobody_decides_and_says_so(
    tree, movement, district_leader, city_leader
):
    submit(officer_of(tree["quang_an"], "qa-o"), movement, tree["quang_an"])  # Tây Hồ: no leader
    inbox = decisions(city_leader, kinds=frozenset([REPORT_DECISION]))
    assert inbox.total == 1
    item = inbox.items[0]
    assert item.unit == tree["quang_an"]
    assert item.routed_from == tree["tay_ho"] and item.routed_to == tree["city"]
    assert "Quận Tây Hồ" in item.routing_note and "Hà Nội" in item.routing_note
    assert decisions(district_leader).total == 0  # Long Biên's leader: not theirs
    assert deciding_unit(tree["tay_ho"]) == tree["city"]
    # the person it is forwarded to may act on it
    report = Report.objects.get()
    services.accept_report(fresh(city_leader), report=report)
    assert decisions(city_leader).total == 0


def test_refused_users_see_nothing_of_other_subtrees(tree, movement):
    submit(officer_of(tree["quang_an"], "qa-o"), movement, tree["quang_an"])
    outsider = UserFactory(username="lb-only", roles=[("leader", tree["long_bien"])])
    citizen = UserFactory(username="citizen", roles=[("citizen", tree["tay_ho"])])
    for user in (outsider, citizen):
        assert decisions(user, kinds=frozenset([REPORT_DECISION])).total == 0


def test_routing_skips_levels_and_stops_at_the_nearest_decider(tree):
    group = tree["group"]  # Tổ dân phố 1 ⊂ Bồ Đề ⊂ Long Biên ⊂ Hà Nội
    assert deciding_unit(group) is None
    leader = UserFactory(username="lb-l", roles=[("leader", tree["long_bien"])])
    assert deciding_unit(group) == tree["long_bien"]
    ended = UserFactory(username="old-bode-leader")
    grant(ended, "leader", tree["bo_de"], valid_to=dt.date(2021, 1, 1))  # no longer in force
    assert deciding_unit(group) == tree["long_bien"]
    grant(UserFactory(username="bode-l"), "leader", tree["bo_de"])
    assert deciding_unit(group) == tree["bo_de"]
    assert routing(fresh(leader)).below == [tree["bo_de"].path]


# --- counts, order, filters, pages ---------------------------------------------------------


def test_counts_order_overdue_first_and_filters(tree, movement, city_leader, monkeypatch):
    quang_an_officer = officer_of(tree["quang_an"], "qa-o")
    submit(quang_an_officer, movement, tree["quang_an"], "2026-Q4")  # due in January
    submit(quang_an_officer, movement, tree["quang_an"], "2026-Q1")  # due in April: overdue
    inbox = decisions(city_leader, kinds=frozenset([REPORT_DECISION]))
    assert inbox.total == 2 and inbox.overdue == 1
    assert inbox.items[0].overdue and not inbox.items[1].overdue
    assert "2026-Q1" in inbox.items[0].title
    counts = {k.kind: k.counts for k in inbox.kinds}
    assert counts[REPORT_DECISION] == work.Counts(total=2, overdue=1)
    assert decisions(city_leader, kinds=frozenset([REPORT_DECISION]), due="overdue").total == 1
    assert decisions(city_leader, kinds=frozenset([REPORT_DECISION]), due="month").total == 1
    assert decisions(city_leader, unit_path=tree["tay_ho"].path).total == 2
    assert decisions(city_leader, unit_path=tree["long_bien"].path).total == 0


def test_pages_are_never_capped(tree, movement, city_leader):
    from thidua.org.models import UnitKind

    ward = UnitKind.objects.get(code="ward")
    officer = UserFactory(username="th-o", roles=[("officer", tree["tay_ho"])])
    for index in range(7):
        unit = make_unit(f"Phường {index}", parent=tree["tay_ho"], code=f"th-{index}")
        assert unit.kind == ward
        submit(officer, movement, unit)
    first = work.inbox(fresh(city_leader), per_page=3)
    assert first.total == 7 and first.page.paginator.num_pages == 3
    last = work.inbox(fresh(city_leader), per_page=3, page=3)
    seen = [i.order for i in first.items] + [
        i.order for p in (2, 3) for i in work.inbox(fresh(city_leader), per_page=3, page=p).items
    ]
    assert len(seen) == 7 == len(set(seen)) and len(last.items) == 1


def test_reports_due_from_my_units_are_work_items(tree, movement, ward_officer, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 4, 2))
    inbox = decisions(ward_officer, kinds=frozenset([REPORT_DUE]))
    assert inbox.total >= 1
    assert all(i.unit == tree["bo_de"] for i in inbox.items)
    assert "report/?unit=" in inbox.items[0].url


# --- the page, the API, query counts -------------------------------------------------------


def test_the_inbox_page_lists_counts_and_links(client, tree, movement, city_leader):
    report = submit(officer_of(tree["quang_an"], "qa-o"), movement, tree["quang_an"])
    client.force_login(city_leader)
    page = client.get(reverse("work")).content.decode()
    assert 'data-testid="work-total"' in page and "Phường Quảng An" in page
    assert reverse("movements:report", args=[movement.pk, report.pk]) in page
    assert "Quận Tây Hồ" in page  # forwarded: says from where
    home = client.get(reverse("staff_home")).content.decode()
    assert 'data-testid="work-see-all"' in home and "Phường Quảng An" in home
    badge = client.get(reverse("work_badge")).content.decode()
    assert ">1<" in badge


def test_the_inbox_page_refuses_bad_filters_and_needs_a_login(client, tree, city_leader):
    assert client.get(reverse("work")).status_code == 302
    assert client.get(reverse("work_badge")).status_code == 302
    client.force_login(city_leader)
    response = client.get(reverse("work"), {"due": "tomorrow", "kind": "nope"})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_the_inbox_empty_state(client, tree, city_leader):
    client.force_login(city_leader)
    assert 'data-testid="work-empty"' in client.get(reverse("work")).content.decode()


def test_the_api_gives_the_same_counts_and_items(client, tree, movement, city_leader):
    submit(officer_of(tree["quang_an"], "qa-o"), movement, tree["quang_an"])
    assert client.get("/api/v1/work/").status_code == 401
    client.force_login(city_leader)
    body = client.get("/api/v1/work/").json()
    assert body["total"] == 1 and body["items"][0]["unit"] == "Phường Quảng An"
    assert body["items"][0]["routing_note"]
    assert client.get("/api/v1/work/", {"due": "soon"}).status_code == 422
    assert client.get("/api/v1/work/", {"kind": "nope"}).status_code == 422
    outsider = UserFactory(username="lb-only", roles=[("leader", tree["long_bien"])])
    client.force_login(outsider)
    assert client.get("/api/v1/work/").json()["total"] == 0


def test_query_count_does_not_grow_with_the_items(client, tree, movement, city_leader):
    officer = UserFactory(username="th-o", roles=[("officer", tree["city"])])
    units = [tree["quang_an"]] + [
        make_unit(f"Phường {i}", parent=tree["tay_ho"], code=f"th-{i}") for i in range(2)
    ]
    client.force_login(city_leader)
    client.get(reverse("work"))  # the user's grants and two-factor step, kept from now on
    submit(officer, movement, units[0])
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("work")).status_code == 200
    with CaptureQueriesContext(connection) as api_one:
        client.get("/api/v1/work/")
    for unit in units[1:]:
        submit(officer, movement, unit)
    with CaptureQueriesContext(connection) as three:
        assert "Phường 1" in client.get(reverse("work")).content.decode()
    with CaptureQueriesContext(connection) as api_three:
        assert client.get("/api/v1/work/").json()["total"] == 3
    assert len(one) == len(three)
    assert len(api_one) == len(api_three)


# --- notifications -------------------------------------------------------------------------


def test_a_submitted_report_notifies_the_deciders_in_their_language(
    tree, movement, district_leader, city_leader, django_capture_on_commit_callbacks
):
    district_leader.language = "en"
    district_leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    assert Notification.objects.filter(user=district_leader).count() == 1
    assert not Notification.objects.filter(user=city_leader).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [district_leader.email]
    assert mail.outbox[0].subject.startswith("Report to accept")
    with django_capture_on_commit_callbacks(execute=True):
        submit(officer_of(tree["quang_an"], "qa-o"), movement, tree["quang_an"])
    note = Notification.objects.get(user=city_leader)
    assert "Phường Quảng An" in note.message
    assert "Quận Tây Hồ" in mail.outbox[-1].body  # forwarded: says why


def test_a_digest_reader_gets_no_mail_at_once_then_one_digest(
    tree, movement, city_leader, django_capture_on_commit_callbacks
):
    from thidua.core.notifications import send_digests

    city_leader.notification_emails = "daily"
    city_leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(officer_of(tree["quang_an"], "qa-o"), movement, tree["quang_an"])
        submit(officer_of(tree["quang_an"], "qa-o2"), movement, tree["quang_an"], "2026-Q2")
    assert Notification.objects.filter(user=city_leader, in_digest=True).count() == 2
    mine = lambda: [m for m in mail.outbox if m.to == [city_leader.email]]  # noqa: E731
    assert mine() == []  # the city's administrator, who wants each e-mail, got theirs
    assert send_digests(dry_run=True) == 1 and mine() == []
    assert send_digests() == 1
    assert len(mine()) == 1 and "Phường Quảng An" in mine()[0].body
    assert "2026-Q2" in mine()[0].body
    assert send_digests() == 0 and len(mine()) == 1  # idempotent
