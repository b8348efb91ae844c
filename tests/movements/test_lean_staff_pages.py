"""The staff home, the header's badge and the movement dashboard reuse figures computed once,
until a service changes what they are made of: a write is seen on the next page, never a stale
figure; and the pages cost a bounded number of queries."""

from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory, grant
from tests.movements.test_work import fresh, officer_of, submit
from thidua.core import versioned, work
from thidua.movements import services
from thidua.movements.work import REPORT_DECISION


def _leader(tree):
    user = UserFactory(username="lb-leader-2")
    grant(user, "leader", tree["long_bien"])
    return user


def test_the_staff_home_shows_new_work_after_a_service_write(client, tree, movement):
    leader = _leader(tree)
    client.force_login(leader)
    before = client.get(reverse("staff_home"))
    assert before.status_code == 200
    assert work.summary(fresh(leader)).total == 0
    submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    after = client.get(reverse("staff_home"))
    assert after.context["work"].total == 1
    assert "Phường Bồ Đề" in after.content.decode()
    badge = client.get(reverse("work_badge"))
    assert badge.context["counts"].total == 1


def test_the_summary_is_computed_once_until_something_changes(tree, movement, monkeypatch):
    leader = _leader(tree)
    submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    calls = []
    real = work.inbox

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(work, "inbox", counted)
    assert work.summary(fresh(leader)).total == 1
    assert work.summary(fresh(leader)).total == 1
    assert len(calls) == 1
    report = movement.reports.get()
    services.accept_report(leader, report=report)
    assert work.summary(fresh(leader)).total == 0
    assert len(calls) == 2


def test_each_user_and_language_has_its_own_summary(tree, movement):
    leader, other = _leader(tree), officer_of(tree["phuc_loi"], "pl-o")
    submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    leaders = work.summary(fresh(leader))
    assert [item.kind for item in leaders.items] == [REPORT_DECISION]
    assert REPORT_DECISION not in [item.kind for item in work.summary(fresh(other)).items]
    with translation.override("en"):
        english = work.summary(fresh(leader))
    assert english.kinds[0].label != leaders.kinds[0].label


def test_the_staff_home_links_each_unit_below(client, tree, admin_user):
    client.force_login(admin_user)
    content = client.get(reverse("staff_home")).content.decode()
    for name in ("long_bien", "tay_ho"):
        url = reverse("org:unit_detail", args=[tree[name].pk])
        assert f'href="{url}"' in content


def test_the_staff_home_costs_a_bounded_number_of_queries(
    client, tree, movement, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    client.get(reverse("staff_home"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("staff_home")).status_code == 200


def test_the_dashboard_follows_an_accepted_report(client, tree, movement, admin_user):
    client.force_login(admin_user)
    url = reverse("movements:dashboard", args=[movement.pk])
    first = client.get(url)
    assert first.context["coverage"].total.reported == 0
    report = submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    second = client.get(url)
    assert second.context["coverage"].total.reported == 1
    services.accept_report(admin_user, report=report)
    third = client.get(url)
    assert any(result.value for result in third.context["results"])
    # the units without a congress work are still read when asked for
    assert third.context["coverage"].no_congress is not None


def test_versioned_values_move_on_with_their_kind(db):
    from thidua.core.public_cache import changed

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert versioned.cached("t", [1], kinds=["movements"], compute=compute) == 1
    assert versioned.cached("t", [1], kinds=["movements"], compute=compute) == 1
    assert versioned.cached("t", [2], kinds=["movements"], compute=compute) == 2
    changed("honors")
    assert versioned.cached("t", [1], kinds=["movements"], compute=compute) == 1
    changed("movements")
    assert versioned.cached("t", [1], kinds=["movements"], compute=compute) == 3


def test_the_inbox_counts_are_computed_once_until_something_changes(
    client, tree, movement, monkeypatch
):
    leader = _leader(tree)
    submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    client.force_login(leader)
    counted = []
    for source in work.sources(fresh(leader)):
        real = type(source).count

        def counting(self, work_filter, real=real):
            counted.append(self.kind)
            return real(self, work_filter)

        monkeypatch.setattr(type(source), "count", counting)
    first = client.get(reverse("work"))
    assert first.context["inbox"].total == 1 and counted
    counted.clear()
    assert client.get(reverse("work")).context["inbox"].total == 1
    assert counted == []  # the same counts, not counted again
    services.accept_report(leader, report=movement.reports.get())
    assert client.get(reverse("work")).context["inbox"].total == 0
    assert counted


def test_every_app_with_work_moves_the_work_figures_on():
    apps = {function.__module__.split(".")[1] for function in work._registry}
    assert {"movements", "mobilization", "surveys", "training"} <= apps
    assert apps <= set(work.work_kinds())
