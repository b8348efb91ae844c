"""Pages of the initiatives app: public form and private link, staff screening, reviewer access
(assigned only, blind), deliberation, decision, public list."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.initiatives import form_data
from thidua.initiatives import services
from thidua.initiatives.models import Submission

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_public_submission_confirm_and_private_status(
    client, setup, tree, django_capture_on_commit_callbacks
):
    url = reverse("public_initiatives:submit", args=[setup["call"].slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(setup, tree))
    submission = Submission.objects.get()
    # The private link is not shown on the page: it goes only by email.
    assert response.status_code == 200
    assert submission.token not in response.content.decode()
    assert submission.status == "draft"
    assert submission.token in mail.outbox[0].body
    # double click: same client token, nothing new
    client.post(url, form_data(setup, tree))
    assert Submission.objects.count() == 1
    status_url = reverse("public_initiatives:status", args=[submission.token])
    body = client.get(status_url).content.decode()
    assert "<script>alert" not in body
    client.post(reverse("public_initiatives:confirm", args=[submission.token]))
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_public_form_errors_write_nothing(client, setup, tree):
    url = reverse("public_initiatives:submit", args=[setup["call"].slug])
    response = client.post(url, form_data(setup, tree, title="", applicant_email="x"))
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_disguised_attachment_is_refused(client, setup, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("public_initiatives:submit", args=[setup["call"].slug])
    fake = SimpleUploadedFile("hoso.pdf", b"<html><script>x</script></html>", "application/pdf")
    response = client.post(url, {**form_data(setup, tree), "attachments": fake})
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_unknown_private_link_is_404(client, db):
    assert client.get(reverse("public_initiatives:status", args=["nope"])).status_code == 404


def test_reviewer_sees_only_assigned_and_not_the_applicant(client, setup, under_review):
    call = setup["call"]
    url = reverse("initiatives:submission", args=[call.pk, under_review.pk])
    client.force_login(setup["users"]["m1"])
    body = client.get(url).content.decode()
    assert "Thu gom rác thông minh" in body and "Trần Thị Bình" not in body
    assert "binh@example.org" not in body
    client.force_login(setup["users"]["m2"])  # a member, not assigned
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("initiatives:review", args=[call.pk, under_review.pk])).status_code
        == 404
    )
    assert client.get(reverse("initiatives:export", args=[call.pk])).status_code == 404
    client.force_login(setup["users"]["secretary"])
    assert "Trần Thị Bình" in client.get(url).content.decode()


def test_conflicted_reviewer_loses_access(client, setup, under_review):
    client.force_login(setup["users"]["m1"])
    url = reverse(
        "initiatives:submission_action", args=[setup["call"].pk, under_review.pk, "conflict"]
    )
    client.post(url, {"reason": "Người thân"})
    assert (
        client.get(
            reverse("initiatives:submission", args=[setup["call"].pk, under_review.pk])
        ).status_code
        == 404
    )


def test_screening_refused_to_a_plain_member(client, setup, tree, admin_user):
    submission = services.submit_initiative(
        admin_user,
        call=setup["call"],
        data={
            "unit": tree["bo_de"],
            "field": setup["field"],
            "applicant_kind": "person",
            "applicant_name": "C",
            "title": "T",
            "summary": "S",
            "description": "D",
            "expected_benefit": "B",
        },
    )
    client.force_login(setup["users"]["m2"])
    url = reverse("initiatives:submission_action", args=[setup["call"].pk, submission.pk, "screen"])
    assert client.post(url, {"decision": "in"}).status_code == 404
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_review_page_saves_and_locks(client, setup, under_review):
    call = setup["call"]
    client.force_login(setup["users"]["m1"])
    url = reverse("initiatives:review", args=[call.pk, under_review.pk])
    data = {f"score_{c.pk}": "8" for c in call.criteria.all()}
    data.update(recommendation="recognise", submit="1")
    assert client.post(url, data).status_code == 302
    data[f"score_{call.criteria.first().pk}"] = "2"
    response = client.post(url, data)
    assert response.status_code == 200  # locked: a reason is needed
    review = under_review.assignments.get().review
    assert review.status == "submitted"
    assert review.scores.get(criterion=call.criteria.first()).score == 8


def test_deliberation_and_decision_pages(client, setup, under_review):
    call = setup["call"]
    council = setup["council"]
    client.force_login(setup["users"]["secretary"])
    client.post(
        reverse("initiatives:deliberation", args=[call.pk]),
        {
            "held_on": TODAY.isoformat(),
            "present": [m.pk for m in council.members.all()],
        },
    )
    meeting = call.meetings.get()
    for name in ("chair", "secretary", "m1"):
        client.force_login(setup["users"][name])
        client.post(
            reverse("initiatives:vote", args=[call.pk, under_review.pk]),
            {"meeting": meeting.pk, "choice": "yes"},
        )
    assert meeting.votes.count() == 3
    client.force_login(setup["users"]["secretary"])
    response = client.post(
        reverse("initiatives:finalise", args=[call.pk]),
        {"number": "12/QĐ-MTTQ", "decided_on": TODAY.isoformat()},
    )
    assert not hasattr(call, "decision") or call.decision is None
    client.force_login(setup["users"]["chair"])
    level = call.award_levels.get()
    response = client.post(
        reverse("initiatives:finalise", args=[call.pk]),
        {
            "number": "12/QĐ-MTTQ",
            "decided_on": TODAY.isoformat(),
            f"award_{under_review.pk}": level.pk,
        },
    )
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == "recognised" and under_review.award_level == level
    body = client.get(
        reverse("public_initiatives:recognised"), {"q": "rac thong minh"}
    ).content.decode()
    assert "Thu gom rác thông minh" in body


def test_call_pages_for_staff(client, setup, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("initiatives:call_list")).status_code == 200
    assert (
        client.get(reverse("initiatives:call_detail", args=[setup["call"].pk])).status_code == 200
    )
    assert client.get(reverse("initiatives:call_create")).status_code == 200
    assert client.get(reverse("initiatives:progress", args=[setup["call"].pk])).status_code == 200
    outsider = UserFactory(username="tayho-officer", roles=[("citizen", setup["call"].owner_unit)])
    client.force_login(outsider)
    assert (
        client.get(reverse("initiatives:call_detail", args=[setup["call"].pk])).status_code == 404
    )


def _minutes(client, call, capture):
    """Ask for the minutes: the first request queues the build and shows its progress."""
    url = reverse("initiatives:minutes", args=[call.pk])
    with capture(execute=True):
        response = client.get(url)
    if response["Content-Type"].startswith("text/html"):
        assert 'data-testid="minutes-progress"' in response.content.decode()
        response = client.get(url)
    return response


def test_minutes_pdf_is_a_real_pdf_with_the_votes(
    client, setup, under_review, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io

    from pypdf import PdfReader

    call = setup["call"]
    council = setup["council"]
    present = list(council.members.exclude(user=setup["users"]["m2"]))
    meeting = services.record_meeting(
        setup["users"]["secretary"], call=call, held_on=TODAY, present=present
    )
    for name in ("chair", "m1"):
        services.cast_vote(
            setup["users"][name], meeting=meeting, submission=under_review, choice="yes"
        )
    client.force_login(setup["users"]["m2"])  # absent, still a member: may read the minutes
    response = _minutes(client, call, django_capture_on_commit_callbacks)
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Thu gom rác thông minh" in text
    assert "Thành viên có mặt: 3 / 4" in text
    # 2 yes of 4 members, more than half needed: not recognised.
    assert "— 0 2 0 0 Không được công nhận" in text
    outsider = UserFactory(username="nobody")
    client.force_login(outsider)
    assert client.get(reverse("initiatives:minutes", args=[call.pk])).status_code == 404


def test_minutes_are_built_once_and_again_when_a_vote_changes_them(
    client,
    setup,
    under_review,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from thidua.initiatives import minutes as minutes_module
    from thidua.initiatives.models import MinutesFile

    tmp_path = settings.PRIVATE_MEDIA_ROOT  # the private storage of this test
    builds = []

    def fake_pdf(call, meeting):
        builds.append(meeting.votes.count())
        return b"%PDF-1.4 minutes " + str(len(builds)).encode()

    monkeypatch.setattr(minutes_module, "minutes_pdf", fake_pdf)
    call = setup["call"]
    meeting = services.record_meeting(
        setup["users"]["secretary"],
        call=call,
        held_on=TODAY,
        present=list(setup["council"].members.all()),
    )
    services.cast_vote(
        setup["users"]["chair"], meeting=meeting, submission=under_review, choice="yes"
    )
    client.force_login(setup["users"]["m1"])
    url = reverse("initiatives:minutes", args=[call.pk])
    with django_capture_on_commit_callbacks() as queued:
        waiting = client.get(url)  # queued, not built yet: the progress page polls
    body = waiting.content.decode()
    assert 'hx-trigger="every 2s"' in body and builds == []
    status = client.get(reverse("initiatives:minutes_status", args=[call.pk]))
    assert 'data-testid="minutes-progress"' in status.content.decode()
    for job in queued:  # the worker's turn
        job()
    first = client.get(url)
    assert b"".join(first.streaming_content) == b"%PDF-1.4 minutes 1"
    stored = MinutesFile.objects.get()
    assert stored.status == "done" and (tmp_path / stored.pdf.name).exists()
    # Not under MEDIA_ROOT: nothing serves it but the view.
    assert not str(stored.pdf.path).startswith(str(settings.MEDIA_ROOT))

    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(url)
    assert b"".join(again.streaming_content) == b"%PDF-1.4 minutes 1"
    assert builds == [1]  # served from storage, not rebuilt
    assert MinutesFile.objects.get().digest == stored.digest

    services.cast_vote(setup["users"]["m1"], meeting=meeting, submission=under_review, choice="no")
    changed = _minutes(client, call, django_capture_on_commit_callbacks)
    assert b"".join(changed.streaming_content) == b"%PDF-1.4 minutes 2"
    assert builds == [1, 2]
    rebuilt = MinutesFile.objects.get()
    assert rebuilt.digest != stored.digest
    assert not (tmp_path / stored.pdf.name).exists()  # the outdated file is gone

    # The task delivered again for the same digest does nothing.
    assert minutes_module.build(rebuilt.pk, rebuilt.digest) == "done" and builds == [1, 2]

    outsider = UserFactory(username="not-on-the-council")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("initiatives:minutes_status", args=[call.pk])).status_code == 404


def test_review_reminders_once_per_reviewer_before_the_deadline(
    setup, under_review, django_capture_on_commit_callbacks
):
    from thidua.core.actors import SystemActor
    from thidua.core.models import Notification

    call = setup["call"]
    call.review_deadline = TODAY + dt.timedelta(days=2)
    call.save(update_fields=["review_deadline"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_review_reminders(SystemActor("t"), on=TODAY) == 1
        assert services.send_review_reminders(SystemActor("t"), on=TODAY) == 0
    reviewer = setup["users"]["m1"]
    # told once when the review was assigned, reminded once
    assert Notification.objects.filter(user=reviewer).count() == 2
    assert any(m.to == [reviewer.email] for m in mail.outbox)
    far = TODAY - dt.timedelta(days=10)
    assert services.send_review_reminders(SystemActor("t"), on=far) == 0
