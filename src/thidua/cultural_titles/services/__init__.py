"""Writes of the cultural titles (one module per step of the year)."""

from thidua.cultural_titles.services.areas import council_minutes_pdf, propose_area  # noqa: F401
from thidua.cultural_titles.services.assessments import (  # noqa: F401
    AssessmentRejected,
    GridRow,
    assess_grid,
    grid,
    minutes_pdf,
    record_meeting,
    template,
    upload_assessment,
)
from thidua.cultural_titles.services.decisions import (  # noqa: F401
    decide_families,
    start_certificates,
)
from thidua.cultural_titles.services.postings import (  # noqa: F401
    comment,
    file_dossier,
    post_list,
    resolve,
)
from thidua.cultural_titles.services.prints import start_all_prints, start_print  # noqa: F401
from thidua.cultural_titles.services.rounds import open_round, timeline  # noqa: F401
