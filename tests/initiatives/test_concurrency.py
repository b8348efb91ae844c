"""Votes and public submissions arriving at the same moment (PostgreSQL: real row locks and
constraints across connections). Each thread has its own connection and closes it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories.initiatives import SEATS, to_review
from thidua.accounts.models import User
from thidua.initiatives import services
from thidua.initiatives.models import Call, Meeting, Submission, Vote
from thidua.org.models import Unit
from thidua.shared.models import Field

ALL = [name for name, _role, _unit in SEATS]
YES = set(ALL[:5])  # five yes of nine: recognised under "more than half of all members"


@pytest.fixture(autouse=True)
def _no_confirmation_cap(settings):
    """These posts race for numbers and tokens, from one address: the daily cap on confirmation
    e-mails (tests/initiatives/test_limits.py) is not what they test."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "confirmation_email": "1000/d"}


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start every job at the same instant; return each job's result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        try:
            results[index] = job(barrier)
        except Exception as error:  # reported to the main thread, which asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nine_members_vote_at_once_and_each_counts_once(call, data, admin_user, seats):
    submission = to_review(admin_user, call, data(), [seats["m2"], seats["m3"]])
    meeting = services.record_meeting(
        seats["secretary"].user,
        call=call,
        held_on=timezone.localdate(),
        present=list(seats.values()),
    )

    def job_for(name: str) -> Callable[[threading.Barrier], tuple[str, str]]:
        def job(barrier: threading.Barrier) -> tuple[str, str]:
            user = User.objects.get(pk=seats[name].user_id)
            mine = Meeting.objects.get(pk=meeting.pk)
            target = Submission.objects.get(pk=submission.pk)
            choice = "yes" if name in YES else "no"
            barrier.wait()
            services.cast_vote(user, meeting=mine, submission=target, choice=choice)
            try:  # the second click, with the opposite choice
                services.cast_vote(
                    user, meeting=mine, submission=target, choice="no" if choice == "yes" else "yes"
                )
            except ValidationError:
                return name, "refused"
            return name, "counted twice"

        return job

    results = run_together([job_for(name) for name in ALL])
    assert results == [(name, "refused") for name in ALL]
    rows = list(Vote.objects.filter(meeting=meeting, submission=submission))
    assert len(rows) == 9
    assert sorted(v.member_id for v in rows) == sorted(s.pk for s in seats.values())
    by_member = {v.member_id: v.choice for v in rows}
    assert by_member == {seats[n].pk: ("yes" if n in YES else "no") for n in ALL}
    result = services.tally(meeting, submission)
    assert (result["yes"], result["no"], result["needed"]) == (5, 4, 5)
    assert result["recognised"] is True


def public_job(call: Call, data: dict[str, Any], client_token: str):
    """A public form post: everything fetched on the thread's own connection first."""
    unit_id, field_id = data["unit"].pk, data["field"].pk

    def job(barrier: threading.Barrier) -> Submission:
        mine = Call.objects.select_related("owner_unit").get(pk=call.pk)
        unit, field = Unit.objects.get(pk=unit_id), Field.objects.get(pk=field_id)
        values = {**data, "unit": unit, "field": field}
        barrier.wait()
        return services.submit_initiative(
            AnonymousUser(), call=mine, data=values, client_token=client_token
        )

    return job


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_posts_with_one_client_token_save_one_submission(call, data):
    results = run_together([public_job(call, data(), "same-form") for _n in range(5)])
    assert Submission.objects.count() == 1
    saved = Submission.objects.get()
    assert saved.number == 1
    # every post answers with the saved submission, the ones that lost the race included
    assert all(isinstance(r, Submission) and r.pk == saved.pk for r in results), results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_posts_with_different_tokens_get_distinct_consecutive_numbers(call, data):
    results = run_together(
        [public_job(call, data(title=f"Sáng kiến {n}"), f"form-{n}") for n in range(5)]
    )
    assert all(isinstance(r, Submission) for r in results), results
    assert sorted(r.number for r in results) == [1, 2, 3, 4, 5]
    assert sorted(Submission.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.django_db
def test_a_double_click_that_loses_the_race_gets_the_saved_submission(call, data):
    """The first post commits while the second is between its duplicate check and its insert
    (the window the threads above used to hit now and then), replayed deterministically."""
    original = Submission.full_clean
    first: list[Submission] = []
    started = threading.Event()

    def full_clean_after_the_other_post(self, *args, **kwargs):
        if not started.is_set():
            started.set()
            first.append(
                services.submit_initiative(
                    AnonymousUser(), call=call, data=data(), client_token="same-form"
                )
            )
        return original(self, *args, **kwargs)

    with mock.patch.object(Submission, "full_clean", full_clean_after_the_other_post):
        second = services.submit_initiative(
            AnonymousUser(), call=call, data=data(), client_token="same-form"
        )
    assert second.pk == first[0].pk
    assert Submission.objects.count() == 1
