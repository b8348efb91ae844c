"""The council's three intelligence features in a real browser: the secretary previews the
optimal reviewer assignment and runs it; after the reviews (one lenient reviewer) the chair reads
the raw and calibrated rankings side by side and records the calibrated one; the secretary finds
a resubmitted initiative flagged as a possible duplicate, compares the pair side by side and
marks it. Run in English."""

import pytest
from playwright.sync_api import expect

from tests.factories.duplicate_texts import LIGHTS, POSYANDU, SAMPAH, WASTE, WATER, paraphrase_vi
from tests.factories.initiatives import enter, full_scores
from thidua.accounts.models import User
from thidua.core.models import AuditEvent
from thidua.initiatives import duplicates, services
from thidua.initiatives.models import Assignment, DuplicateMark

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_assign_calibrate_and_screen_duplicates(page, tree, call, data, seats, admin_user):
    User.objects.filter(username__startswith="council-").update(language="en")
    secretary, chair = seats["secretary"].user, seats["chair"].user
    texts = [WATER, LIGHTS, WASTE, SAMPAH, POSYANDU, paraphrase_vi(WATER)]
    units = ["quang_an", "quang_an", "phuc_loi", "quang_an", "phuc_loi", "quang_an"]
    submissions = []
    for parts, unit in zip(texts, units, strict=True):
        submission = enter(admin_user, call, data(unit=tree[unit], **parts))
        services.screen(admin_user, submission=submission, accept=True)
        submissions.append(submission)
    for submission in submissions:  # the background task, at once
        duplicates.update_duplicate_index(submission_id=submission.pk)
    original, copy = submissions[0], submissions[-1]

    # 1. the secretary previews the optimal assignment, then runs it
    login(page, secretary.username)
    page.goto(f"/initiatives/{call.pk}/intelligence/")
    page.select_option("#preview", "optimal")
    page.get_by_test_id("assignment-preview").get_by_role("button", name="Preview").click()
    summary = page.get_by_test_id("assignment-summary")
    expect(summary).to_contain_text("12 new assignments")
    expect(summary).to_contain_text("Proven optimal.")
    expect(page.get_by_test_id("assignment-preview-table").locator("tbody tr")).to_have_count(12)
    page.select_option("#assigner", "optimal")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Assign reviewers").click()
    expect(page.get_by_text("12 assignments made.")).to_be_visible()
    expect(page.get_by_test_id("assignments-made").locator("tbody tr")).to_have_count(12)
    made = Assignment.objects.filter(submission__call=call, method="optimal")
    assert made.count() == 12
    assert all(m.explanation for m in made)  # each assignment says why
    logout(page)

    # the reviews come in; one reviewer marks everything two points higher than the others
    quality = {s.pk: q for s, q in zip(submissions, [7, 6, 8, 5, 4, 7], strict=True)}
    lenient = made.values_list("reviewer", flat=True).first()
    for assignment in made.select_related("reviewer__user", "submission__call"):
        score = quality[assignment.submission_id] + (2 if assignment.reviewer_id == lenient else 0)
        services.save_review(
            assignment.reviewer.user,
            assignment=assignment,
            scores=full_scores(call, min(score, 10)),
            recommendation="recognise",
            submit=True,
        )

    # 2. the chair reads both rankings and records the calibrated one
    login(page, chair.username)
    page.goto(f"/initiatives/{call.pk}/intelligence/")
    for submission in submissions:
        expect(page.get_by_test_id("raw-ranking")).to_contain_text(submission.title[:40])
        expect(page.get_by_test_id(f"calibrated-{submission.number}")).to_be_visible()
    expect(page.get_by_test_id("reviewers")).to_be_visible()
    expect(page.get_by_test_id("chosen-ranking")).to_contain_text("has not chosen")
    choose = page.get_by_test_id("choose-ranking")
    choose.locator("input[value=calibrated]").check()
    choose.get_by_role("button", name="Use this ranking").click()
    expect(page.get_by_test_id("chosen-ranking")).to_contain_text("chose the calibrated ranking")
    assert AuditEvent.objects.get(verb="initiatives.choose_ranking").actor == chair
    logout(page)

    # 3. the secretary sees the resubmission flagged, compares and marks it
    login(page, secretary.username)
    page.goto(f"/initiatives/{call.pk}/submissions/{copy.pk}/")
    row = page.get_by_test_id("duplicates-panel").get_by_test_id("duplicate-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Possible duplicate of #{original.number}")
    row.get_by_role("link", name="Compare side by side").click()
    expect(page.get_by_test_id("duplicate-score")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()  # the shared passages are marked
    page.get_by_label("Duplicate", exact=True).check()
    page.get_by_role("button", name="Record the verdict").click()
    expect(page.get_by_text("Your verdict was recorded.")).to_be_visible()
    mark = DuplicateMark.objects.get()
    assert mark.verdict == "duplicate" and mark.by == secretary
    assert {mark.candidate.a_id, mark.candidate.b_id} == {original.pk, copy.pk}
