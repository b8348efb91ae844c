"""The answers workbook: written with openpyxl's write-only mode, built in the background past
a size (a progress page meanwhile), kept privately until the answers change; read back."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.surveys.helpers import commune, forms, key, launch, staff
from thidua.core.models import AuditEvent
from thidua.surveys.models import AnswersExport
from thidua.surveys.services import export

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def fielded():
    city, district, ward, areas = commune(areas=[40, 60])
    officer = staff(ward, username="ward-officer")
    survey = launch(officer, ward)
    key(officer, survey, areas[0], forms(4, 1))
    key(officer, survey, areas[1], forms(2))
    return {"survey": survey, "officer": officer, "areas": areas, "ward": ward}


def read(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def test_a_large_survey_is_built_in_the_background_behind_a_progress_page(
    client, fielded, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export, "SYNC_LIMIT", 3)
    survey = fielded["survey"]
    client.force_login(fielded["officer"])
    url = reverse("surveys:export_xlsx", args=[survey.pk])
    with django_capture_on_commit_callbacks() as queued:
        page = client.get(url)
    assert page.status_code == 200 and 'data-testid="export-progress"' in page.content.decode()
    assert "Preparing the workbook" in page.content.decode()
    status = client.get(reverse("surveys:export_status", args=[survey.pk]))
    assert 'hx-trigger="every 2s"' in status.content.decode()
    assert AnswersExport.objects.get(survey=survey).status == "pending"
    for callback in queued:
        callback()  # the task is enqueued at the commit (immediate backend in the tests)
    stored = AnswersExport.objects.get(survey=survey)
    assert stored.status == "done" and stored.rows == 7
    assert stored.digest[:12] in stored.file.name
    assert stored.file.storage.base_location != "" and "private" in str(stored.file.path)
    ready = client.get(reverse("surveys:export_status", args=[survey.pk])).content.decode()
    assert "7 answers" in ready
    workbook = read(client.get(url))
    answers, tallies = workbook.worksheets
    header = [c.value for c in answers[1]]
    assert header[:5] == ["No.", "Residential area", "Channel", "Status", "Received on"]
    assert {"Q2_road", "Q2_light", "Q2_clean"} <= set(header)
    assert answers.max_row == 8
    road = header.index("Q2_road")
    assert sorted(row[road].value for row in answers.iter_rows(min_row=2)) == [0] + [1] * 6
    assert [c.value for c in tallies[2]][:3] == ["Thôn 1 — Xã Phù Lưu Tế", 40, 5]
    assert answers["B2"].value == "Thôn 1 — Xã Phù Lưu Tế"
    assert AuditEvent.objects.filter(verb="surveys.export_answers").count() == 2


def test_the_workbook_is_kept_until_the_answers_change(client, fielded):
    survey = fielded["survey"]
    client.force_login(fielded["officer"])
    url = reverse("surveys:export_xlsx", args=[survey.pk])
    assert read(client.get(url)).worksheets[0].max_row == 8
    first = AnswersExport.objects.get(survey=survey).file.name
    assert read(client.get(url)).worksheets[0].max_row == 8
    assert AnswersExport.objects.get(survey=survey).file.name == first  # not rebuilt
    key(fielded["officer"], survey, fielded["areas"][1], forms(3))
    assert read(client.get(url)).worksheets[0].max_row == 11
    assert AnswersExport.objects.get(survey=survey).file.name != first


def test_the_workbook_is_written_in_write_only_mode(fielded, monkeypatch):
    modes = []
    original = export.Workbook

    def spy(*args, **kwargs):
        modes.append(kwargs.get("write_only"))
        return original(*args, **kwargs)

    monkeypatch.setattr(export, "Workbook", spy)
    buffer = BytesIO()
    assert export.write_workbook(fielded["survey"], buffer) == 7
    assert modes == [True]
    assert load_workbook(buffer).worksheets[0].max_row == 8


def test_a_committee_may_not_export_on_the_page(client, fielded):
    committee = staff(fielded["areas"][0], "council_member", username="viewer")
    client.force_login(committee)
    survey = fielded["survey"]
    assert client.get(reverse("surveys:export_xlsx", args=[survey.pk])).status_code == 403
    assert client.get(reverse("surveys:export_status", args=[survey.pk])).status_code == 403
    assert not AnswersExport.objects.exists()
