import datetime as dt

from django.urls import reverse

from tests.cultural_titles.conftest import MEETING, YEAR, filled
from thidua.core import work
from thidua.cultural_titles import services


def _items(user, day):
    work_filter = work.WorkFilter(today=day)
    found = []
    for source in work.sources(user):
        if source.kind.startswith("cultural_titles."):
            found += source.items(work_filter, 50)
    return found


def test_the_committee_has_its_area_in_the_inbox_due_25_november(committee, area_a):
    items = _items(committee, dt.date(YEAR, 11, 1))
    assert [(i.unit, i.due) for i in items] == [(area_a.area, dt.date(YEAR, 11, 25))]
    assert items[0].url == reverse("cultural_titles:area", args=[area_a.pk])


def test_a_filed_dossier_waits_for_the_chairman(committee, chairman, area_a):
    services.upload_assessment(committee, assessment=area_a, content=filled(area_a))
    services.record_meeting(
        committee, assessment=area_a, meeting_on=MEETING, chair="A", co_chair="B"
    )
    services.post_list(committee, assessment=area_a, today=dt.date(YEAR, 11, 4))
    area_a.refresh_from_db()
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    kinds = [i.kind for i in _items(chairman, dt.date(YEAR, 11, 15))]
    assert "cultural_titles.decision" in kinds
    assert _items(committee, dt.date(YEAR, 11, 15)) == []


def test_the_minutes_of_the_meeting_are_a_pdf(client, committee, area_a):
    services.upload_assessment(committee, assessment=area_a, content=filled(area_a))
    services.record_meeting(
        committee, assessment=area_a, meeting_on=MEETING, chair="A", co_chair="B"
    )
    client.force_login(committee)
    response = client.get(reverse("cultural_titles:minutes", args=[area_a.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
