"""Writes for surveys: one function per change of state, actor first, keyword-only.

Split by topic: `questionnaires` (questions, versions), `fielding` (create, launch, the
workflow), `answers` (paper batches, web answers), `tallies` (per-area counts), `posting`
(public posting windows with frozen PDFs), `movement_link` (indicator values for movements).
"""

from thidua.surveys.services.answers import clean_answers, key_batch, submit_web_answer
from thidua.surveys.services.codes import household_code
from thidua.surveys.services.editor import (
    Edited,
    move_question,
    remove_question,
    save_question,
    update_questionnaire,
)
from thidua.surveys.services.export import export_answers
from thidua.surveys.services.fielding import (
    TRANSITIONS,
    archive_survey,
    close_survey,
    create_survey,
    field_survey,
    launch_survey,
    receive_report,
    reopen_survey,
    report_survey,
    tally_survey,
)
from thidua.surveys.services.movement_link import write_movement_indicators
from thidua.surveys.services.posting import post_results
from thidua.surveys.services.questionnaires import (
    create_questionnaire,
    new_version,
    standard_questionnaire,
)
from thidua.surveys.services.tallies import recount_areas

__all__ = [
    "Edited",
    "export_answers",
    "move_question",
    "remove_question",
    "save_question",
    "update_questionnaire",
    "TRANSITIONS",
    "archive_survey",
    "clean_answers",
    "close_survey",
    "create_questionnaire",
    "create_survey",
    "field_survey",
    "household_code",
    "key_batch",
    "launch_survey",
    "new_version",
    "post_results",
    "receive_report",
    "recount_areas",
    "reopen_survey",
    "standard_questionnaire",
    "report_survey",
    "submit_web_answer",
    "tally_survey",
    "write_movement_indicators",
]
