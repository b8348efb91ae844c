"""Calls for initiatives: the council's meeting, quorum and votes, the chair's decision and the
public list of recognised initiatives.

(Split by topic from the former `test_services.py`; the services and selectors are those the
views and the API call.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory, grant
from tests.factories.initiatives import (
    SEATS,
    enter,
    full_scores,
    open_call,
    to_review,
)
from thidua.core.models import AuditEvent
from thidua.initiatives import selectors, services
from thidua.initiatives.models import (
    Assignment,
    AwardLevel,
    Call,
    CouncilMember,
    Decision,
    Meeting,
    Submission,
    Vote,
)

pytestmark = pytest.mark.django_db

S = Submission.Status


def verbs(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def assignment_of(submission: Submission, member: CouncilMember) -> Assignment:
    return submission.assignments.get(reviewer=member)


# --- deliberation ---------------------------------------------------------------------------


@pytest.fixture
def agenda(call, data, admin_user, seats, tree):
    """Two initiatives under review: clean water from Bồ Đề and waste sorting from Quảng An."""
    water = to_review(
        admin_user,
        call,
        data(title="Nước sạch cho tổ dân phố", summary="Lọc nước mưa."),
        [seats["m2"], seats["m3"]],
    )
    waste = to_review(
        admin_user,
        call,
        data(
            unit=tree["quang_an"],
            title="Phân loại rác tại nguồn",
            summary="Thùng rác ba ngăn.",
            applicant_email="binh@example.org",
        ),
        [seats["m1"], seats["m2"]],
        language="en",
    )
    return water, waste


def meet(seats, call, names, actor=None) -> Meeting:
    actor = actor or seats["secretary"].user
    return services.record_meeting(
        actor, call=call, held_on=timezone.localdate(), present=[seats[n] for n in names]
    )


ALL = [name for name, _role, _unit in SEATS]


def votes(meeting, submission, choices: dict[str, str], seats) -> None:
    for name, choice in choices.items():
        services.cast_vote(seats[name].user, meeting=meeting, submission=submission, choice=choice)


def test_only_the_secretariat_records_a_meeting_of_council_members(seats, call, tree, admin_user):
    with pytest.raises(PermissionDenied):
        meet(seats, call, ALL, actor=seats["m1"].user)
    stranger = services.create_council(
        admin_user,
        owner_unit=tree["city"],
        name="Khác",
        members=[{"user": UserFactory(username="stranger"), "role": "chair"}],
    ).members.get()
    with pytest.raises(ValidationError):
        services.record_meeting(
            seats["secretary"].user,
            call=call,
            held_on=timezone.localdate(),
            present=[seats["chair"], stranger],
        )
    assert not Meeting.objects.exists()
    meeting = meet(seats, call, ALL, actor=admin_user)
    assert meeting.present.count() == 9


def test_quorum_is_enforced(seats, call, agenda):
    water, _waste = agenda
    thin = meet(seats, call, ALL[:5])
    assert services.quorum(thin) == (5, 9, False)
    with pytest.raises(ValidationError):
        services.cast_vote(seats["chair"].user, meeting=thin, submission=water, choice="yes")
    with pytest.raises(ValidationError):
        services.cast_vote(
            seats["secretary"].user,
            meeting=thin,
            submission=water,
            choice="yes",
            member=seats["m6"],
            written=True,
        )
    assert not Vote.objects.exists()
    result = services.tally(thin, water)
    assert result["quorum"] is False and result["recognised"] is False
    full = meet(seats, call, ALL[:7])
    assert services.quorum(full) == (7, 9, True)
    services.cast_vote(seats["chair"].user, meeting=full, submission=water, choice="yes")
    assert Vote.objects.count() == 1


def test_two_thirds_present_is_a_quorum_with_the_default_share(seats, call):
    assert Decimal(call.quorum_share) == Decimal("0.667")
    assert services.quorum(meet(seats, call, ALL[:6])) == (6, 9, True)


def test_a_member_not_present_cannot_vote(seats, call, agenda):
    water, _waste = agenda
    meeting = meet(seats, call, ALL[:7])  # m5 and m6 are absent
    outsider = UserFactory(username="outsider")
    for user in (seats["m6"].user, outsider):
        with pytest.raises(PermissionDenied):
            services.cast_vote(user, meeting=meeting, submission=water, choice="yes")
    assert not Vote.objects.exists()


def test_votes_only_on_initiatives_on_the_agenda_and_known_choices(
    seats, call, agenda, submitted, admin_user, tree, council, fields, data
):
    water, _waste = agenda
    meeting = meet(seats, call, ALL)
    with pytest.raises(ValidationError):
        services.cast_vote(seats["m1"].user, meeting=meeting, submission=submitted, choice="yes")
    with pytest.raises(ValidationError):
        services.cast_vote(seats["m1"].user, meeting=meeting, submission=water, choice="maybe")
    other = open_call(admin_user, owner_unit=tree["city"], council=council, fields=fields)
    elsewhere = to_review(admin_user, other, data(), [seats["m2"], seats["m3"]])
    with pytest.raises(ValidationError):
        services.cast_vote(seats["m1"].user, meeting=meeting, submission=elsewhere, choice="yes")
    assert not Vote.objects.exists()


def test_a_member_votes_once(seats, call, agenda):
    water, waste = agenda
    meeting = meet(seats, call, ALL)
    services.cast_vote(seats["m1"].user, meeting=meeting, submission=water, choice="yes")
    with pytest.raises(ValidationError):
        services.cast_vote(seats["m1"].user, meeting=meeting, submission=water, choice="no")
    assert list(Vote.objects.values_list("member", "choice")) == [(seats["m1"].pk, "yes")]
    assert verbs("initiatives.vote") == 1
    # another initiative is another question
    services.cast_vote(seats["m1"].user, meeting=meeting, submission=waste, choice="no")
    assert services.tally(meeting, water)["yes"] == 1


def test_written_opinions_of_absent_members_count(seats, call, agenda):
    water, _waste = agenda
    Call.objects.filter(pk=call.pk).update(quorum_share=Decimal("0.6"))
    call.refresh_from_db()
    meeting = meet(seats, call, ALL[:6])  # m4, m5, m6 absent
    votes(meeting, water, {"chair": "yes", "vice_chair": "yes", "secretary": "yes"}, seats)
    votes(meeting, water, {"m1": "yes", "m2": "no", "m3": "no"}, seats)
    assert services.tally(meeting, water)["recognised"] is False
    with pytest.raises(PermissionDenied):  # a plain member cannot record one
        services.cast_vote(
            seats["m1"].user,
            meeting=meeting,
            submission=water,
            choice="yes",
            member=seats["m4"],
            written=True,
        )
    with pytest.raises(ValidationError):  # a present member votes in person
        services.cast_vote(
            seats["secretary"].user,
            meeting=meeting,
            submission=water,
            choice="yes",
            member=seats["m1"],
            written=True,
        )
    with pytest.raises(ValidationError):
        services.cast_vote(
            seats["secretary"].user, meeting=meeting, submission=water, choice="yes", written=True
        )
    vote = services.cast_vote(
        seats["secretary"].user,
        meeting=meeting,
        submission=water,
        choice="yes",
        member=seats["m4"],
        written=True,
    )
    assert vote.member == seats["m4"] and vote.written is True
    with pytest.raises(ValidationError):  # once, in writing too
        services.cast_vote(
            seats["chair"].user,
            meeting=meeting,
            submission=water,
            choice="no",
            member=seats["m4"],
            written=True,
        )
    result = services.tally(meeting, water)
    assert (result["yes"], result["no"], result["needed"]) == (5, 2, 5)
    assert result["present"] == 6 and result["members"] == 9
    assert result["recognised"] is True


def test_a_written_opinion_is_only_for_a_member_of_this_council(
    seats, call, agenda, admin_user, tree
):
    water, _waste = agenda
    stranger = services.create_council(
        admin_user,
        owner_unit=tree["city"],
        name="Khác",
        members=[{"user": UserFactory(username="stranger"), "role": "chair"}],
    ).members.get()
    meeting = meet(seats, call, ALL[:7])  # m5 and m6 absent
    CouncilMember.objects.filter(pk=seats["m6"].pk).update(is_active=False)
    seats["m6"].refresh_from_db()
    for member in (stranger, seats["m6"]):
        with pytest.raises(ValidationError):
            services.cast_vote(
                seats["secretary"].user,
                meeting=meeting,
                submission=water,
                choice="yes",
                member=member,
                written=True,
            )
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("share", "strictly_more", "members", "needed"),
    [
        ("0.5", True, 9, 5),
        ("0.5", True, 10, 6),
        ("0.5", False, 10, 5),
        ("0.5", False, 9, 5),
        ("0.8", False, 9, 8),
        ("0.8", False, 10, 8),
        ("0.8", True, 10, 9),
        ("0.9", False, 10, 9),
        ("1", False, 7, 7),
    ],
)
def test_required_yes_counts_over_all_members(share, strictly_more, members, needed):
    call = Call(recognition_share=Decimal(share), strictly_more=strictly_more)
    assert services.required_yes(call, members) == needed


def test_the_rule_is_over_all_members_not_those_present(seats, call, agenda):
    water, waste = agenda
    # six of nine present; the share is lowered so that six is a quorum (see the quorum bug)
    Call.objects.filter(pk=call.pk).update(quorum_share=Decimal("0.6"))
    call.refresh_from_db()
    meeting = meet(seats, call, ALL[:6])
    votes(meeting, water, {"chair": "yes", "vice_chair": "yes", "secretary": "yes"}, seats)
    votes(meeting, water, {"m1": "yes", "m2": "no", "m3": "no"}, seats)
    result = services.tally(meeting, water)
    assert (result["yes"], result["no"], result["present"], result["members"]) == (4, 2, 6, 9)
    assert result["quorum"] is True and result["needed"] == 5
    assert result["recognised"] is False  # 4 of 6 present is 67%, but only 4 of 9 members
    votes(meeting, waste, {"chair": "yes", "vice_chair": "yes", "secretary": "yes"}, seats)
    votes(meeting, waste, {"m1": "yes", "m2": "yes", "m3": "abstain"}, seats)
    result = services.tally(meeting, waste)
    assert (result["yes"], result["abstain"]) == (5, 1)
    assert result["recognised"] is True


@pytest.fixture
def voted(seats, call, agenda):
    """All nine present: water 5 yes / 4 no, waste 4 yes / 5 no."""
    water, waste = agenda
    meeting = meet(seats, call, ALL)
    yes_water = set(ALL[:5])
    yes_waste = set(ALL[:4])
    votes(meeting, water, {n: "yes" if n in yes_water else "no" for n in ALL}, seats)
    votes(meeting, waste, {n: "yes" if n in yes_waste else "no" for n in ALL}, seats)
    return meeting


@pytest.mark.parametrize("who", ["vice_chair", "secretary", "m1", "admin_user", "superuser"])
def test_only_the_chair_finalises(who, seats, call, agenda, voted, admin_user, superuser):
    actor = {"admin_user": admin_user, "superuser": superuser}.get(who) or seats[who].user
    with pytest.raises(PermissionDenied):
        services.finalise_decision(
            actor, call=call, number="15/QĐ-MTTQ", decided_on=timezone.localdate(), meeting=voted
        )
    assert not Decision.objects.exists()
    assert set(Submission.objects.values_list("status", flat=True)) == {S.UNDER_REVIEW}
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN


def test_the_chairs_decision_recognises_exactly_those_passing_the_rule(
    seats, call, agenda, voted, admin_user, data, django_capture_on_commit_callbacks
):
    water, waste = agenda
    pending = enter(admin_user, call, data(title="Chờ sàng lọc", applicant_email=""))
    first, second = call.award_levels.all()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.finalise_decision(
            seats["chair"].user,
            call=call,
            number=" 15/QĐ-MTTQ ",
            decided_on=dt.date(2026, 11, 20),
            meeting=voted,
            awards={water.pk: first, waste.pk: second},
        )
    assert decision.number == "15/QĐ-MTTQ" and decision.signer == seats["chair"].user
    water.refresh_from_db()
    waste.refresh_from_db()
    pending.refresh_from_db()
    assert (water.status, water.award_level) == (S.RECOGNISED, first)
    assert (waste.status, waste.award_level) == (S.NOT_RECOGNISED, None)
    assert pending.status == S.SUBMITTED
    call.refresh_from_db()
    assert call.status == Call.Status.DECIDED
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"an@example.org", "binh@example.org"}
    assert "15/QĐ-MTTQ" in by_address["an@example.org"].body
    assert "Decision: 15/QĐ-MTTQ" in by_address["binh@example.org"].body
    assert "Not recognised" in by_address["binh@example.org"].subject
    event = AuditEvent.objects.get(verb="initiatives.finalise_decision")
    assert event.data["recognised"] == [water.number]

    with pytest.raises(ValidationError):
        services.finalise_decision(
            seats["chair"].user,
            call=call,
            number="16/QĐ-MTTQ",
            decided_on=dt.date(2026, 11, 21),
            meeting=voted,
        )
    assert Decision.objects.count() == 1


def test_a_decision_needs_a_number_a_meeting_of_the_call_and_known_award_levels(
    seats, call, agenda, voted, admin_user, tree, council, fields
):
    water, _waste = agenda
    chair = seats["chair"].user
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.finalise_decision(chair, call=call, number="  ", decided_on=today, meeting=voted)
    other = open_call(admin_user, owner_unit=tree["city"], council=council, fields=fields)
    elsewhere = meet(seats, other, ALL)
    with pytest.raises(ValidationError):
        services.finalise_decision(
            chair, call=call, number="1", decided_on=today, meeting=elsewhere
        )
    foreign_level = AwardLevel.objects.filter(call=other).first()
    with pytest.raises(ValidationError):
        services.finalise_decision(
            chair,
            call=call,
            number="1",
            decided_on=today,
            meeting=voted,
            awards={water.pk: foreign_level},
        )
    assert not Decision.objects.exists()
    water.refresh_from_db()
    assert water.status == S.UNDER_REVIEW


def test_public_recognised_finds_without_diacritics(seats, call, agenda, voted, tree):
    water, waste = agenda
    services.finalise_decision(
        seats["chair"].user,
        call=call,
        number="15/QĐ-MTTQ",
        decided_on=dt.date(2026, 11, 20),
        meeting=voted,
    )
    assert list(selectors.public_recognised()) == [water]
    for query in ("nuoc sach", "NUOC SACH", "Nước sạch", "nước   sạch", "loc nuoc mua"):
        assert list(selectors.public_recognised(query=query)) == [water], query
    assert list(selectors.public_recognised(query="phan loai rac")) == []  # not recognised
    assert list(selectors.public_recognised(query="nuoc ngot")) == []
    assert list(selectors.public_recognised(unit_id=tree["long_bien"].pk)) == [water]
    assert list(selectors.public_recognised(unit_id=tree["tay_ho"].pk)) == []
    assert list(selectors.public_recognised(year=2026)) == [water]
    assert list(selectors.public_recognised(year=2025)) == []
    assert list(selectors.public_recognised(field_id=water.field_id)) == [water]


def test_votes_and_reviews_stop_after_the_decision(seats, call, agenda, voted):
    water, _waste = agenda
    services.finalise_decision(
        seats["chair"].user, call=call, number="15", decided_on=timezone.localdate(), meeting=voted
    )
    water.refresh_from_db()
    later = meet(seats, call, ALL)
    with pytest.raises(ValidationError):
        services.cast_vote(seats["m1"].user, meeting=later, submission=water, choice="no")
    with pytest.raises(ValidationError):
        services.save_review(
            seats["m2"].user,
            assignment=assignment_of(water, seats["m2"]),
            scores=full_scores(call, 1),
            amend_reason="Muộn",
        )
    with pytest.raises(ValidationError):
        services.withdraw(token=water.token)


def test_a_council_has_one_chair_and_each_person_once(tree, admin_user, officer):
    one, two = UserFactory(username="one"), UserFactory(username="two")
    for members in (
        [{"user": one, "role": "member"}],
        [{"user": one, "role": "chair"}, {"user": two, "role": "chair"}],
        [{"user": one, "role": "chair"}, {"user": one, "role": "member"}],
    ):
        with pytest.raises(ValidationError):
            services.create_council(admin_user, owner_unit=tree["city"], name="X", members=members)
    with pytest.raises(PermissionDenied):
        services.create_council(
            officer, owner_unit=tree["city"], name="X", members=[{"user": one, "role": "chair"}]
        )
    grant(officer, "officer", tree["city"])
    officer.__dict__.pop("_thidua_grants", None)
    services.create_council(
        officer, owner_unit=tree["city"], name="X", members=[{"user": one, "role": "chair"}]
    )


def test_a_call_opens_only_with_a_council(tree, admin_user, fields, council):
    today = timezone.localdate()
    bare = services.create_call(
        admin_user,
        owner_unit=tree["city"],
        title="Không hội đồng",
        opens_on=today,
        closes_on=today,
    )
    with pytest.raises(ValidationError):
        services.set_call_status(admin_user, call=bare, status=Call.Status.OPEN)
    with pytest.raises(ValidationError):
        services.set_call_status(admin_user, call=bare, status=Call.Status.DECIDED)
    bare.refresh_from_db()
    assert bare.status == Call.Status.DRAFT
    assert [c.name for c in bare.criteria.all()] == [c[0] for c in services.DEFAULT_CRITERIA]
    with pytest.raises(ValidationError):
        services.create_call(
            admin_user,
            owner_unit=tree["city"],
            title="Ngược ngày",
            opens_on=today,
            closes_on=today - dt.timedelta(days=1),
        )
