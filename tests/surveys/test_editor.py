"""The questionnaire editor: services, pages, the phone preview and the API, with the frozen
rule (a change to a fielded questionnaire is a new version) and the refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import warm
from tests.surveys.helpers import commune, launch, questionnaire, staff
from thidua.core.models import AuditEvent
from thidua.surveys import services
from thidua.surveys.models import Question, Questionnaire

pytestmark = pytest.mark.django_db

API = "/api/v1/surveys/questionnaires"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def setup():
    city, district, ward, areas = commune(areas=[40, 60])
    officer = staff(ward, username="ward-officer")
    draft = questionnaire(officer, ward)
    return {"city": city, "ward": ward, "areas": areas, "officer": officer, "draft": draft}


def codes(q: Questionnaire) -> list[str]:
    return list(q.questions.values_list("code", flat=True))


NEW_QUESTION = {
    "kind": "single",
    "text_vi": "Ông/bà biết về cuộc vận động qua kênh nào?",
    "text_en": "How did you hear of the movement?",
    "text_id": "Dari mana Anda mengetahui gerakan ini?",
    "options": [{"code": "tv", "vi": "Truyền hình"}, {"code": "loa", "vi": "Loa phường"}],
    "allow_other": True,
    "public": False,
}


def test_a_draft_is_edited_in_place_and_every_change_is_audited(setup):
    officer, draft = setup["officer"], setup["draft"]
    edited = services.save_question(officer, questionnaire=draft, code=None, data=NEW_QUESTION)
    assert not edited.new_version and edited.questionnaire.pk == draft.pk
    assert codes(draft) == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    added = draft.questions.get(code="Q5")
    assert added.allow_other and not added.public and added.text_id.startswith("Dari")
    services.move_question(officer, questionnaire=draft, code="Q5", direction="up")
    assert codes(draft) == ["Q1", "Q2", "Q3", "Q5", "Q4"]
    services.remove_question(officer, questionnaire=draft, code="Q4")
    assert codes(draft) == ["Q1", "Q2", "Q3", "Q5"]
    services.update_questionnaire(
        officer,
        questionnaire=draft,
        title="Phiếu mới",
        purpose="custom",
        pass_question="Q1",
        pass_options=["5"],
        pass_threshold="0.9",
    )
    draft.refresh_from_db()
    assert draft.title == "Phiếu mới" and draft.pass_options == ["5"]
    changes = AuditEvent.objects.filter(verb="surveys.edit_questionnaire")
    assert changes.count() == 4


def test_bad_changes_are_refused_and_change_nothing(setup):
    officer, draft = setup["officer"], setup["draft"]
    services.move_question(officer, questionnaire=draft, code="Q3", direction="up")
    before = codes(draft)
    assert before == ["Q1", "Q3", "Q2", "Q4"]
    with pytest.raises(ValidationError, match="earlier choice question"):
        # Q3 shows only after an answer to Q1: it cannot move above it
        services.move_question(officer, questionnaire=draft, code="Q3", direction="up")
    with pytest.raises(ValidationError, match="pass rule"):
        services.remove_question(officer, questionnaire=draft, code="Q1")
    with pytest.raises(ValidationError, match="two options"):
        services.save_question(
            officer,
            questionnaire=draft,
            code=None,
            data={"kind": "single", "text_vi": "Một lựa chọn", "options": [{"code": "a"}]},
        )
    with pytest.raises(ValidationError, match="option that does not exist"):
        services.save_question(
            officer,
            questionnaire=draft,
            code="Q3",
            data={**NEW_QUESTION, "code": "Q3", "condition": {"question": "Q1", "in": ["9"]}},
        )
    assert codes(draft) == before
    assert draft.questions.get(code="Q3").condition == {"question": "Q1", "in": ["1", "2"]}


def test_a_fielded_questionnaire_is_frozen_and_a_change_makes_the_next_version(setup):
    officer, ward = setup["officer"], setup["ward"]
    survey = launch(officer, ward)
    fielded = survey.questionnaire
    edited = services.save_question(officer, questionnaire=fielded, code=None, data=NEW_QUESTION)
    assert edited.new_version and edited.questionnaire.previous == fielded
    assert edited.questionnaire.version == fielded.version + 1
    assert codes(fielded) == ["Q1", "Q2", "Q3", "Q4"]  # the survey keeps its version
    assert codes(edited.questionnaire)[-1] == "Q5"
    with pytest.raises(ValidationError, match="newer version"):
        services.remove_question(officer, questionnaire=fielded, code="Q4")


def test_only_the_owner_units_managers_edit(setup):
    committee = staff(setup["areas"][0], "council_member", username="viewer")
    with pytest.raises(PermissionDenied):
        services.remove_question(committee, questionnaire=setup["draft"], code="Q4")
    assert len(codes(setup["draft"])) == 4


def test_the_editor_pages_add_edit_and_reorder_questions(client, setup):
    officer, draft = setup["officer"], setup["draft"]
    client.force_login(officer)
    page = client.get(reverse("surveys:questionnaire", args=[draft.pk]))
    assert page.status_code == 200 and "Q4" in page.content.decode()
    response = client.post(
        reverse("surveys:question_add", args=[draft.pk]),
        {
            "kind": "multiple",
            "text_vi": "Những kênh thông tin",
            "text_en": "Channels",
            "options": "tv: Truyền hình | TV | TV\nloa: Loa phường | Loudspeaker",
            "allow_other": "on",
            "public": "on",
            "condition_question": "Q1",
            "condition_options": "4, 5",
        },
    )
    assert response.status_code == 302
    added = draft.questions.get(code="Q5")
    assert added.option_codes() == ["tv", "loa"] and added.options[1]["en"] == "Loudspeaker"
    assert added.condition == {"question": "Q1", "in": ["4", "5"]} and added.allow_other
    edit_url = reverse("surveys:question_edit", args=[draft.pk, "Q5"])
    form = client.get(edit_url).content.decode()
    assert "tv: Truyền hình | TV | TV" in form
    client.post(
        reverse("surveys:question_action", args=[draft.pk, "Q5", "up"]),
    )
    assert codes(draft) == ["Q1", "Q2", "Q3", "Q5", "Q4"]
    client.post(reverse("surveys:question_action", args=[draft.pk, "Q4", "remove"]))
    assert codes(draft) == ["Q1", "Q2", "Q3", "Q5"]
    bad = client.post(edit_url, {"kind": "single", "text_vi": "x", "options": "a: A"})
    assert bad.status_code == 200 and "at least two options" in bad.content.decode()


def test_the_page_says_a_fielded_questionnaire_is_frozen_and_moves_to_the_new_version(
    client, setup
):
    officer, ward = setup["officer"], setup["ward"]
    fielded = launch(officer, ward).questionnaire
    client.force_login(officer)
    page = client.get(reverse("surveys:questionnaire", args=[fielded.pk])).content.decode()
    assert 'data-testid="frozen-note"' in page and "creates a new version" in page
    response = client.post(
        reverse("surveys:question_action", args=[fielded.pk, "Q4", "remove"]), follow=True
    )
    newer = Questionnaire.objects.get(previous=fielded)
    assert response.redirect_chain[-1][0] == reverse("surveys:questionnaire", args=[newer.pk])
    assert "Version 2 was created" in response.content.decode()
    assert codes(newer) == ["Q1", "Q2", "Q3"] and codes(fielded) == ["Q1", "Q2", "Q3", "Q4"]
    old = client.get(reverse("surveys:questionnaire", args=[fielded.pk])).content.decode()
    assert 'data-testid="newer-version"' in old


def test_a_new_questionnaire_from_the_page_then_launched_with_it(client, setup):
    officer, ward = setup["officer"], setup["ward"]
    client.force_login(officer)
    response = client.post(
        reverse("surveys:questionnaire_create"),
        {
            "title": "Hiệu quả cuộc vận động",
            "owner_unit": ward.pk,
            "purpose": "custom",
            "start": "blank",
        },
    )
    created = Questionnaire.objects.get(title="Hiệu quả cuộc vận động")
    assert response["Location"] == reverse("surveys:questionnaire", args=[created.pk])
    assert codes(created) == ["Q1"] and created.questions.get().kind == Question.Kind.LIKERT
    launch_page = client.get(reverse("surveys:launch") + f"?questionnaire={created.pk}")
    assert f'value="{created.pk}" selected' in launch_page.content.decode()


def test_the_preview_shows_the_form_as_on_a_phone_without_sending(client, setup):
    client.force_login(setup["officer"])
    page = client.get(reverse("surveys:questionnaire_preview", args=[setup["draft"].pk]))
    html = page.content.decode()
    assert 'data-testid="phone-preview"' in html and "max-width:390px" in html
    assert 'data-if="Q1"' in html and 'name="Q2"' in html  # conditions work as on the form
    assert '<button type="button" class="primary" disabled>' in html
    assert 'method="post"' not in html.split('data-testid="phone-preview"')[1]


def test_the_api_edits_a_questionnaire_like_the_pages(client, setup):
    officer, ward = setup["officer"], setup["ward"]
    client.force_login(officer)
    created = client.post(
        API,
        {
            "owner_unit_id": ward.pk,
            "title": "Phiếu qua API",
            "questions": [{"code": "Q1", "kind": "likert", "text_vi": "Hài lòng?"}],
            "pass_question": "Q1",
            "pass_options": ["4", "5"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    added = client.post(f"{API}/{pk}/questions", NEW_QUESTION, content_type="application/json")
    assert added.status_code == 200 and [q["code"] for q in added.json()["questions"]] == [
        "Q1",
        "Q2",
    ]
    moved = client.post(
        f"{API}/{pk}/questions/Q2/move", {"direction": "up"}, content_type="application/json"
    )
    assert [q["code"] for q in moved.json()["questions"]] == ["Q2", "Q1"]
    bad = client.put(
        f"{API}/{pk}/questions/Q2",
        {**NEW_QUESTION, "options": [{"code": "a", "vi": "A"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "two options" in bad.content.decode()
    removed = client.delete(f"{API}/{pk}/questions/Q2")
    assert [q["code"] for q in removed.json()["questions"]] == ["Q1"]
    fielded = launch(officer, ward).questionnaire
    patched = client.patch(
        f"{API}/{fielded.pk}",
        {"title": "Tên mới", "purpose": "custom", "pass_question": "Q1", "pass_options": ["5"]},
        content_type="application/json",
    )
    body = patched.json()
    assert body["new_version_created"] and body["version"] == 2 and body["id"] != fielded.pk
    assert client.get(f"{API}/{fielded.pk}").json()["newer_id"] == body["id"]


def test_the_editor_refuses_on_the_page_and_the_api_alike(client, setup):
    draft = setup["draft"]
    viewer = staff(setup["ward"], "council_member", username="ward-viewer")
    stranger = staff(commune(areas=[5], name="Xã Khác", code="10599")[2], username="stranger")
    add = reverse("surveys:question_add", args=[draft.pk])
    remove = reverse("surveys:question_action", args=[draft.pk, "Q4", "remove"])
    client.force_login(viewer)
    assert client.get(reverse("surveys:questionnaire", args=[draft.pk])).status_code == 200
    assert client.get(add).status_code == 403
    assert client.post(remove).status_code == 403
    assert client.delete(f"{API}/{draft.pk}/questions/Q4").status_code == 403
    client.force_login(stranger)
    for url in (reverse("surveys:questionnaire", args=[draft.pk]), add):
        assert client.get(url).status_code == 404
    assert client.get(f"{API}/{draft.pk}").status_code == 404
    assert client.delete(f"{API}/{draft.pk}/questions/Q4").status_code == 404
    assert codes(draft) == ["Q1", "Q2", "Q3", "Q4"]


def test_the_questionnaire_lists_cost_the_same_queries_with_1_and_3(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(setup["officer"])
    counts = []
    for extra in (0, 2):
        for _ in range(extra):
            questionnaire(setup["officer"], setup["ward"])
        for url in (reverse("surveys:questionnaires"), API):
            warm(client)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


@pytest.mark.parametrize(
    "change",
    [
        {"condition": {"question": "Q1", "in": 5}},
        {"text_vi": "x" * 501},
        {"code": "a code with spaces"},
        {"options": [{"code": "_n", "vi": "A"}, {"code": "b", "vi": "B"}]},
        {"options": [{"code": "a" * 21, "vi": "A"}, {"code": "b", "vi": "B"}]},
    ],
)
def test_malformed_questions_from_the_api_are_refused_and_write_nothing(client, setup, change):
    client.force_login(setup["officer"])
    draft = setup["draft"]
    answer = client.post(
        f"{API}/{draft.pk}/questions", {**NEW_QUESTION, **change}, content_type="application/json"
    )
    assert answer.status_code == 422, answer.content
    assert codes(draft) == ["Q1", "Q2", "Q3", "Q4"]


def test_the_launch_page_offers_the_questionnaires_of_the_units_below(client, setup):
    city_officer = staff(setup["city"], username="city-officer")
    client.force_login(city_officer)
    page = client.get(reverse("surveys:launch")).content.decode()
    assert f'value="{setup["draft"].pk}"' in page and "Xã Phù Lưu Tế" in page
    stranger = staff(commune(areas=[5], name="Xã Khác", code="10599")[2], username="stranger")
    client.force_login(stranger)
    assert (
        f'value="{setup["draft"].pk}"' not in client.get(reverse("surveys:launch")).content.decode()
    )
