"""Posted results are locked in the database too: on PostgreSQL a trigger refuses any insert,
update or delete of the answers and tallies of a posted (reported, archived) survey."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from tests.surveys.helpers import commune, forms, key, launch, staff
from thidua.surveys.models import AreaTally, Batch, OptionTally, Response, Survey

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"),
]


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except DatabaseError as error:
        return "locked" in str(error)
    return False


def test_the_answers_and_tallies_of_posted_results_cannot_change():
    _city, _district, ward, areas = commune(areas=[40])
    officer = staff(ward)
    survey = launch(officer, ward)
    key(officer, survey, areas[0], forms(20, 5))
    response = Response.objects.filter(survey=survey).first()
    Response.objects.filter(pk=response.pk).update(received_on=response.received_on)  # open
    for status in (Survey.Status.POSTED, Survey.Status.REPORTED, Survey.Status.ARCHIVED):
        Survey.objects.filter(pk=survey.pk).update(status=status)
        assert refused(lambda: Response.objects.filter(pk=response.pk).update(status="spoiled"))
        assert refused(lambda: Response.objects.filter(survey=survey).delete())
        assert refused(lambda: AreaTally.objects.filter(survey=survey).update(valid=1000))
        assert refused(lambda: OptionTally.objects.filter(survey=survey).delete())
        assert refused(lambda: Batch.objects.filter(survey=survey).update(forms=0))
        assert refused(
            lambda: Response.objects.create(
                survey=survey,
                area=areas[0],
                client_id=uuid.uuid4(),
                channel="paper",
                received_on=response.received_on,
            )
        )
    assert Response.objects.filter(survey=survey, status="valid").count() == 25
    assert AreaTally.objects.get(survey=survey).valid == 25
