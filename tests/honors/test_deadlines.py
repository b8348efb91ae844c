"""Time limits per level in working days; overdue dossiers flagged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories.honors import nominate
from thidua.core.models import AuditEvent
from thidua.honors import selectors, services
from thidua.honors.models import Nomination, Round
from thidua.honors.working_days import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends_and_vietnamese_holidays():
    assert not is_working_day(dt.date(2026, 2, 17))  # Tết
    assert not is_working_day(dt.date(2025, 9, 2))  # National Day
    assert not is_working_day(dt.date(2026, 3, 7))  # a Saturday
    assert is_working_day(dt.date(2026, 3, 9))
    # Friday 13 Feb 2026 + 1 working day: the weekend and Tết (16–20 Feb) are skipped.
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    # 20 working days from Monday 2 March 2026: four plain weeks.
    assert add_working_days(dt.date(2026, 3, 2), 20) == dt.date(2026, 3, 30)
    # 30 April and 1 May 2025 fall on a Wednesday and Thursday.
    assert add_working_days(dt.date(2025, 4, 29), 1) == dt.date(2025, 5, 2)
    assert working_days_between(dt.date(2026, 3, 2), dt.date(2026, 3, 30)) == 20
    assert working_days_between(dt.date(2026, 3, 30), dt.date(2026, 3, 2)) == -20
    assert add_working_days(dt.date(2026, 3, 7), 0) == dt.date(2026, 3, 7)


def test_each_level_gets_its_own_working_day_limit(tree, people, awards, council):
    round_ = services.create_round(
        people["city_officer"],
        title="Đợt có thời hạn theo cấp",
        kind="regular",
        owner_unit=tree["city"],
        opens_on=dt.date(2024, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        award_types=[awards["bang-khen"]],
        council=council,
        deadline_days=15,
        level_deadlines={"ward": 20},
    )
    nomination = nominate(round_, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    today = timezone.localdate()
    assert nomination.level_due_on == add_working_days(today, 20)  # the ward's limit
    services.endorse_nomination(people["bode_leader"], nomination=nomination)
    assert nomination.level_due_on == add_working_days(today, 15)  # the district: the default
    services.endorse_nomination(people["lb_leader"], nomination=nomination)
    assert nomination.status == Nomination.Status.AT_COUNCIL
    assert nomination.level_due_on == add_working_days(today, 15)  # the council has one too


def test_a_bad_level_limit_is_refused_and_nothing_is_written(tree, people, awards):
    before = (Round.objects.count(), AuditEvent.objects.count())
    for bad in [{"ward": 0}, {"ward": 400}, {"planet": 5}, {"ward": "soon"}]:
        with pytest.raises(ValidationError):
            services.create_round(
                people["city_officer"],
                title="Sai",
                kind="regular",
                owner_unit=tree["city"],
                opens_on=dt.date(2026, 1, 1),
                closes_on=dt.date(2026, 12, 31),
                award_types=[awards["bang-khen"]],
                level_deadlines=bad,
            )
    assert (Round.objects.count(), AuditEvent.objects.count()) == before


def test_round_form_refuses_a_bad_level_limit_with_a_message(client, people, awards, tree):
    client.force_login(people["city_officer"])
    response = client.post(
        reverse("honors:round_create"),
        {
            "title": "Đợt",
            "kind": "regular",
            "owner_unit": tree["city"].pk,
            "award_types": [awards["bang-khen"].pk],
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "deadline_days": 20,
            "days_ward": 0,
        },
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1" in response.content.decode()
    assert not Round.objects.filter(title="Đợt").exists()
    response = client.post(
        reverse("honors:round_create"),
        {
            "title": "Đợt",
            "kind": "regular",
            "owner_unit": tree["city"].pk,
            "award_types": [awards["bang-khen"].pk],
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "deadline_days": 20,
            "days_ward": 20,
        },
    )
    assert response.status_code == 302
    round_ = Round.objects.get(title="Đợt")
    assert round_.level_deadlines == {"ward": 20}
    page = client.get(reverse("honors:round_detail", args=[round_.pk])).content.decode()
    assert "20 working days" in page


def test_overdue_dossiers_are_flagged_on_the_round_page_and_due_list(
    client, tree, people, city_round, awards
):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    Nomination.objects.filter(pk=nomination.pk).update(
        level_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert [n.pk for n in selectors.due_from(people["bode_leader"])] == [nomination.pk]
    assert selectors.due_from(people["bode_leader"])[0].overdue
    assert selectors.due_from(people["lb_leader"]) == []  # not at the district yet
    assert selectors.due_from(people["bode_officer"]) == []  # an officer does not endorse
    client.force_login(people["city_leader"])
    page = client.get(reverse("honors:round_detail", args=[city_round.pk])).content.decode()
    assert 'data-testid="overdue-count"' in page and "1 dossier is past the time limit" in page
    client.force_login(people["bode_leader"])
    page = client.get(reverse("honors:home")).content.decode()
    assert 'data-testid="due-overdue"' in page and "Nguyễn Thị Hoa" in page
    client.force_login(people["quangan_officer"])
    page = client.get(reverse("honors:home")).content.decode()
    assert "Nguyễn Thị Hoa" not in page


def test_the_staff_home_lists_the_dossiers_due_from_me(client, tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    Nomination.objects.filter(pk=nomination.pk).update(
        level_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(people["bode_leader"])
    page = client.get(reverse("staff_home")).content.decode()
    assert 'data-testid="work-summary"' in page and "Nguyễn Thị Hoa" in page
    assert "overdue" in page
    assert reverse("honors:nomination_detail", args=[nomination.pk]) in page
    for someone in ("lb_leader", "quangan_officer"):  # not theirs to act on
        client.force_login(people[someone])
        page = client.get(reverse("staff_home")).content.decode()
        assert "Nguyễn Thị Hoa" not in page
