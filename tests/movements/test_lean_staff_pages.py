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


# --- the dashboard's stored body, the staff home's units, the inbox's stored items ------------


def test_the_dashboard_body_is_never_shown_outside_its_scope(
    client, tree, movement, admin_user, ward_officer
):
    url = reverse("movements:dashboard", args=[movement.pk])
    client.force_login(admin_user)
    city = client.get(url).content.decode()
    assert "Quận Tây Hồ" in city  # the city's body, now stored
    client.force_login(ward_officer)
    ward = client.get(url)  # the same address: their own ward's body, not the city's
    assert ward.status_code == 200
    body = ward.content.decode()
    assert "Phường Bồ Đề" in body and "Quận Tây Hồ" not in body
    for unit in ("city", "tay_ho", "quang_an"):  # stored for the leader, refused to them
        assert client.get(url, {"unit": tree[unit].pk}).status_code == 404
    client.force_login(admin_user)
    assert client.get(url).content.decode().count("Quận Tây Hồ") == city.count("Quận Tây Hồ")


def test_the_dashboard_body_follows_a_report_and_the_language(client, tree, movement, admin_user):
    url = reverse("movements:dashboard", args=[movement.pk])
    client.force_login(admin_user)

    def main(response) -> str:  # the page's body (the header holds a per-request CSRF token)
        return response.content.decode().split('<main id="main">', 1)[1]

    before = main(client.get(url))
    assert 'data-testid="registered-total">0' in before
    assert main(client.get(url)) == before  # stored
    submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    after = client.get(url).content.decode()
    assert 'data-testid="reported-total">1' in after
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Coverage and results" in english and "Coverage and results" not in after


def test_the_staff_home_lists_a_unit_opened_since(client, tree, admin_user):
    from thidua.org.models import UnitKind
    from thidua.org.services import create_unit

    client.force_login(admin_user)
    assert "Quận Mới" not in client.get(reverse("staff_home")).content.decode()
    create_unit(
        admin_user,
        code="009",
        name="Quận Mới",
        kind=UnitKind.objects.get(code="district"),
        parent=tree["city"],
        valid_from=tree["city"].valid_from,
    )
    assert "Quận Mới" in client.get(reverse("staff_home")).content.decode()


def test_the_staff_home_links_units_only_for_who_may_open_them(client, tree, admin_user):
    from thidua.core.policy import can

    reader = UserFactory(username="city-reader")
    grant(reader, "officer", tree["city"])
    client.force_login(admin_user)
    linked = reverse("org:unit_detail", args=[tree["tay_ho"].pk])
    assert f'href="{linked}"' in client.get(reverse("staff_home")).content.decode()
    client.force_login(reader)
    if not can(reader, "org.view_unit", tree["city"]):
        assert f'href="{linked}"' not in client.get(reverse("staff_home")).content.decode()


def test_the_inbox_items_follow_a_write(client, tree, movement):
    leader = _leader(tree)
    client.force_login(leader)
    assert client.get(reverse("work")).context["inbox"].items == []
    submit(officer_of(tree["bo_de"], "bode-o"), movement, tree["bo_de"])
    items = client.get(reverse("work")).context["inbox"].items
    assert [item.kind for item in items] == [REPORT_DECISION]
    services.accept_report(leader, report=movement.reports.get())
    assert client.get(reverse("work")).context["inbox"].items == []


def test_the_merged_page_is_the_merge_of_every_source(tree, movement):
    """The page is read by sort keys first and full rows only for what is shown: the same items
    in the same order as merging every source's first items."""
    import heapq

    from tests.movements.test_work import fresh as fresh_user

    leader = UserFactory(username="city-leader-3", roles=[("leader", tree["city"])])
    for unit, name in (("quang_an", "qa-o"), ("bo_de", "bd-o"), ("phuc_loi", "pl-o")):
        officer = officer_of(tree[unit], name)
        submit(officer, movement, tree[unit], "2026-Q1")
        submit(officer, movement, tree[unit], "2026-Q4")
    user = fresh_user(leader)
    sources = [s for s in work.sources(user) if s.count(work.WorkFilter()).total]
    assert sources
    for start, stop in ((0, 3), (1, 4), (0, 25)):
        merged = work.MergedItems(sources, work.WorkFilter(), 100)._slice(start, stop)
        expected = list(
            heapq.merge(
                *[s.items(work.WorkFilter(), stop) for s in sources], key=work.WorkItem.sort_key
            )
        )[start:stop]
        assert [(i.kind, i.order) for i in merged] == [(i.kind, i.order) for i in expected]
