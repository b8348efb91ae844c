"""The keyboard grid: the area's households as rows, the criteria as columns, saved through the
same rules as the upload."""

import pytest
from django.urls import reverse

from thidua.cultural_titles.models import HouseholdAssessment


def _form(area_a, *, eligible=(), not_eligible=(), no=(), override=None):
    """The grid's form: every household listed, every criterion ticked except `no`."""
    codes = [item["code"] for item in area_a.round.criteria.mandatory]
    data = {"h": []}
    for line in HouseholdAssessment._meta.apps.get_model("org", "Household").objects.filter(
        unit=area_a.area
    ):
        data["h"].append(str(line.pk))
        for code in codes:
            if line.code not in no:
                data[f"c-{line.pk}-{code}"] = "1"
        if line.code in eligible:
            data[f"r-{line.pk}"] = "yes"
        elif line.code in not_eligible:
            data[f"r-{line.pk}"] = "no"
            data[f"why-{line.pk}"] = "Vi phạm quy định"
        if override and line.code in override:
            data[f"ov-{line.pk}"] = override[line.code]
    return data


def test_the_grid_lists_every_household_with_a_column_per_criterion(client, committee, area_a):
    client.force_login(committee)
    response = client.get(reverse("cultural_titles:grid", args=[area_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("data-grid-row") == 5
    for item in area_a.round.criteria.mandatory:
        assert f">{item['code']}</th>" in body
    assert "cultural_titles/grid.js" in body and "<script>" not in body


def test_saving_the_grid_replaces_the_draft(client, committee, area_a):
    client.force_login(committee)
    data = _form(
        area_a, eligible={"HA001", "HA002", "HA003", "HA004"}, not_eligible={"HA005"}, no={"HA005"}
    )
    response = client.post(reverse("cultural_titles:grid", args=[area_a.pk]), data)
    assert response.status_code == 302
    area_a.refresh_from_db()
    assert (area_a.assessed, area_a.eligible) == (5, 4)
    refused = area_a.households.get(code="HA005")
    assert not refused.eligible and refused.reason == "Vi phạm quy định"
    assert not any(refused.answers.values())
    # a line left without a result is not assessed yet
    data = _form(area_a, eligible={"HA001", "HA002"})
    client.post(reverse("cultural_titles:grid", args=[area_a.pk]), data)
    area_a.refresh_from_db()
    assert (area_a.assessed, area_a.eligible) == (2, 2)


def test_a_no_is_eligible_only_with_a_reason_and_nothing_is_written(client, committee, area_a):
    client.force_login(committee)
    data = _form(area_a, eligible={"HA001", "HA002", "HA003", "HA004", "HA005"}, no={"HA005"})
    response = client.post(reverse("cultural_titles:grid", args=[area_a.pk]), data)
    assert response.status_code == 400
    assert "HA005" in response.content.decode()
    assert not area_a.households.exists()
    data = _form(
        area_a,
        eligible={"HA001", "HA002", "HA003", "HA004", "HA005"},
        no={"HA005"},
        override={"HA005": "Hộ nghèo, đã khắc phục"},
    )
    assert client.post(reverse("cultural_titles:grid", args=[area_a.pk]), data).status_code == 302
    assert area_a.households.get(code="HA005").override_reason == "Hộ nghèo, đã khắc phục"


@pytest.mark.parametrize("who", ["outsider", "other_area"])
def test_the_grid_is_refused_outside_the_area(client, ward, area_a, outsider, who):
    from tests.factories import UserFactory, grant

    user = outsider
    expected = 404
    if who == "other_area":
        user = UserFactory(username="to2")
        grant(user, "officer", ward["b"])
    client.force_login(user)
    url = reverse("cultural_titles:grid", args=[area_a.pk])
    assert client.get(url).status_code == expected
    assert client.post(url, _form(area_a, eligible={"HA001"})).status_code == expected
    assert not area_a.households.exists()


def test_a_council_member_sees_the_area_but_may_not_use_the_grid(client, ward, area_a):
    from tests.factories import UserFactory, grant

    member = UserFactory(username="council")
    grant(member, "council_member", ward["ward"])
    client.force_login(member)
    url = reverse("cultural_titles:grid", args=[area_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form(area_a, eligible={"HA001"})).status_code == 403
