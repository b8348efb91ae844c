"""The initiative journey of the issue, in a real browser: a citizen submits (no account) and
confirms from the email → an officer screens it in → two reviewers score → the council meets and
votes → the chair finalises → the public page lists it and the applicant's outbox holds the
emails. Run in English to show the switch works for every page."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory
from thidua.initiatives import services
from thidua.initiatives.models import Call
from thidua.shared.models import Field

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_submit_screen_review_vote_decide_publish(page, tree, live_server):
    today = timezone.localdate()
    Field.objects.create(
        code="env", name_vi="Môi trường", name_en="Environment", name_id="Lingkungan"
    )
    officer = UserFactory(username="city-officer", roles=[("officer", tree["city"])])
    members = {n: UserFactory(username=n, language="en") for n in ("chair", "sec", "rev1", "rev2")}
    council = services.create_council(
        officer,
        owner_unit=tree["city"],
        name="Council",
        members=[
            {"user": members["chair"], "role": "chair"},
            {"user": members["sec"], "role": "secretary"},
            {"user": members["rev1"], "role": "member"},
            {"user": members["rev2"], "role": "member"},
        ],
    )
    call = services.create_call(
        officer,
        owner_unit=tree["city"],
        council=council,
        title="Initiatives 2026",
        opens_on=today,
        closes_on=today + dt.timedelta(days=20),
        award_levels=[("First prize", 5_000_000)],
    )
    services.set_call_status(officer, call=call, status=Call.Status.OPEN)
    page.on("dialog", lambda dialog: dialog.accept())
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    # 1. A citizen submits without an account, then confirms from the email.
    page.goto(f"/p/calls/{call.slug}/")
    page.get_by_role("link", name="Submit an initiative").click()
    page.select_option("#id_applicant_kind", "person")
    page.fill("#id_applicant_name", "Nguyễn Văn An")
    page.fill("#id_applicant_email", "an@example.org")
    page.select_option("#id_unit", label="Phường Bồ Đề")
    page.select_option("#id_field", label="Environment")
    page.fill("#id_title", "Bamboo charcoal water filter")
    page.fill("#id_summary", "Clean water for 200 households")
    page.fill("#id_description", "How it works")
    page.fill("#id_expected_benefit", "Clean water")
    page.get_by_role("button", name="Send the initiative").click()
    expect(page.get_by_test_id("check-email")).to_contain_text("an@example.org")
    link = re.search(r"/p/submissions/[\w-]+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm my submission").click()
    expect(page.get_by_test_id("submission-status")).to_have_text("Submitted")

    # 2. An officer screens it in and assigns two reviewers automatically.
    login(page, "city-officer")
    page.goto(f"/initiatives/{call.pk}/")
    page.get_by_role("link", name="Bamboo charcoal water filter").click()
    page.get_by_role("button", name="Screen in").click()
    page.goto(f"/initiatives/{call.pk}/")
    page.get_by_role("button", name="Assign reviewers automatically").click()
    expect(page.locator("table")).to_contain_text("1")
    logout(page)

    # 3. The two assigned reviewers score it.
    reviewers = [a.reviewer.user.username for a in call.submissions.get().assignments.all()]
    assert len(reviewers) == 2
    for username in reviewers:
        login(page, username)
        page.goto(f"/initiatives/{call.pk}/")
        page.get_by_role("link", name=re.compile("Bamboo charcoal")).first.click()
        # wait for the review form itself: .all() does not wait for a navigation to finish
        expect(page.get_by_role("heading", name=re.compile("My review"))).to_be_visible()
        expect(page.locator("input[name^='score_']").first).to_be_visible()
        for field in page.locator("input[name^='score_']").all():
            field.fill("8")
        page.select_option("#id_recommendation", "recognise")
        page.get_by_role("button", name="Submit the review").click()
        expect(page.get_by_test_id("review-status")).to_have_text("Submitted")
        logout(page)

    # 4. The secretary records the meeting; three members vote yes.
    login(page, "sec")
    page.goto(f"/initiatives/{call.pk}/deliberation/")
    for checkbox in page.locator("input[name='present']").all():
        checkbox.check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("meeting")).to_contain_text("4 of 4 members present")
    page.get_by_role("button", name="Yes").first.click()
    logout(page)
    for username in ("chair", "rev1"):
        login(page, username)
        page.goto(f"/initiatives/{call.pk}/deliberation/")
        page.get_by_role("button", name="Yes").first.click()
        logout(page)

    # 5. The chair finalises the decision.
    login(page, "chair")
    page.goto(f"/initiatives/{call.pk}/deliberation/")
    expect(page.get_by_test_id("votes-1")).to_have_text("3 / 0 / 0")
    page.fill("#id_number", "15/QĐ-MTTQ")
    page.locator("select[name^='award_']").select_option(label="First prize")
    page.get_by_role("button", name="Finalise").click()
    expect(page.get_by_test_id("ranked")).to_contain_text("Recognised")
    logout(page)

    # 6. The public page lists it; the applicant's outbox holds every step.
    page.goto("/p/initiatives/?q=bamboo")
    expect(page.get_by_test_id("recognised")).to_contain_text("Bamboo charcoal water filter")
    expect(page.get_by_test_id("recognised")).to_contain_text("First prize")
    to_applicant = [m for m in mail.outbox if m.to == ["an@example.org"]]
    subjects = " | ".join(m.subject for m in to_applicant)
    assert len(to_applicant) >= 5, subjects
    assert "Recognised" in to_applicant[-1].subject
