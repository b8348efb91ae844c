"""An effectiveness survey linked to a movement writes its indicator values into the movement's
results for the same period and units."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.surveys.helpers import commune, forms, key, staff
from thidua.movements import selectors as movement_selectors
from thidua.movements import services as movement_services
from thidua.surveys import services
from thidua.surveys.models import Survey
from thidua.surveys.services.questionnaires import SATISFIED

pytestmark = pytest.mark.django_db


def test_findings_become_the_movements_indicator_values():
    city, district, ward, areas = commune(areas=[50, 50])
    leader = staff(ward, "leader", username="ward-leader")
    from tests.factories import kind

    movement = movement_services.create_movement(
        leader,
        title="Khảo sát hiệu quả cuộc vận động",
        owner_unit=ward,
        kind="thematic",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 12, 31),
        schedule="yearly",
        scope_kinds=[kind("residential_area")],
        indicators=[
            {"name": "Tỷ lệ hộ hài lòng với mô hình của khu dân cư", "aggregation": "ratio"}
        ],
    )
    movement_services.launch_movement(leader, movement=movement)
    indicator = movement.indicators.get()
    questionnaire = services.standard_questionnaire(leader, owner_unit=ward)
    survey = services.launch_survey(
        leader,
        questionnaire=questionnaire,
        unit=ward,
        title="Hiệu quả cuộc vận động 2024",
        opens_on=dt.date(2024, 7, 1),
        closes_on=dt.date(2024, 7, 15),
        mode=Survey.Mode.ANONYMOUS,
        movement=movement,
        indicator_map={str(indicator.pk): {"question": "Q9", "options": SATISFIED}},
    )
    with pytest.raises(ValidationError):
        services.write_movement_indicators(leader, survey=survey)  # not tallied yet
    rows = [dict(r, answers={"Q9": r["answers"]["Q1"]}) for r in forms(30, 10)]
    key(leader, survey, areas[0], rows)
    services.close_survey(leader, survey=survey)
    services.tally_survey(leader, survey=survey)
    reports = services.write_movement_indicators(leader, survey=survey)
    assert len(reports) == 1 and reports[0].status == "accepted"
    result = movement_selectors.results(movement, root=ward)[0]
    assert result.value == pytest.approx(0.75)
    # writing again changes nothing
    assert services.write_movement_indicators(leader, survey=survey) == []
