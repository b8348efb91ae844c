"""Reviews in the inbox: an assigned reviewer is told and finds the review among their work;
the secretariat finds the submissions to screen."""

from django.core import mail

from tests.factories.initiatives import enter, to_review
from thidua.core import work
from thidua.core.models import Notification
from thidua.initiatives import services
from thidua.initiatives.work import REVIEW, SCREENING


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def kinds(user):
    inbox = work.inbox(fresh(user))
    return {k.kind: k.counts.total for k in inbox.kinds}, inbox


def test_an_assigned_review_notifies_the_reviewer_and_waits_in_their_inbox(
    call, seats, admin_user, data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = to_review(admin_user, call, data(), reviewers=[seats["m2"]])
    reviewer = seats["m2"].user
    assert Notification.objects.filter(user=reviewer).count() == 1
    assert any(m.to == [reviewer.email] for m in mail.outbox)
    counts, inbox = kinds(reviewer)
    assert counts[REVIEW] == 1
    assert inbox.items[0].url.endswith(f"/submissions/{submission.pk}/review/")
    assert kinds(seats["m6"].user)[0][REVIEW] == 0  # not assigned to them


def test_the_secretariat_screens_what_was_submitted(call, seats, admin_user, data):
    enter(admin_user, call, data())
    assert kinds(admin_user)[0][SCREENING] == 1
    assert kinds(seats["m1"].user)[0][SCREENING] == 0  # an ordinary member does not screen


def test_automatic_assignment_tells_each_reviewer_once(call, seats, admin_user, data):
    for index in range(2):
        submission = enter(admin_user, call, data(title=f"Sáng kiến {index}"))
        services.screen(admin_user, submission=submission, accept=True)
    assignments = services.auto_assign(admin_user, call=call)
    reviewers = {a.reviewer.user_id for a in assignments}
    for user_id in reviewers:
        assert Notification.objects.filter(user_id=user_id).count() == 1
