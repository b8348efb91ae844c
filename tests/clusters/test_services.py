import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from tests.clusters.conftest import criteria, evidence_file, self_assess
from tests.factories import make_unit
from thidua.clusters import services
from thidua.clusters.models import (
    Evidence,
    PeerAssignment,
    ScoreEntry,
    ScoreSheet,
    ScoreTable,
    Step,
    Term,
)
from thidua.clusters.selectors import current_members, sheet_scores
from thidua.core.models import AuditEvent, Notification
from thidua.org.models import Lineage, Restructuring

pytestmark = pytest.mark.django_db


def sheet_of(review, unit):
    return ScoreSheet.objects.get(review=review, unit=unit)


def walk_to(review, crew, status):
    """Forward every submitted sheet up to `status`."""
    actors = {
        Step.SUBMITTED: crew["specialist"],
        Step.SPECIALIST_REVIEW: crew["specialist"],
        Step.BOARD_REVIEW: crew["leader"],
        Step.COUNCIL_REVIEW: crew["council"],
    }
    for sheet in ScoreSheet.objects.filter(review=review):
        while sheet.status != status:
            services.forward_sheet(actors[sheet.status], sheet=sheet)


def test_cannot_submit_with_an_unscored_required_criterion(review, crew, wards):
    codes = criteria(review.table)
    sheet = sheet_of(review, wards[0])
    user = crew["ward0"]
    services.add_evidence(user, sheet=sheet, criterion=codes["1.1"], file=evidence_file())
    services.record_score(user, sheet=sheet, criterion=codes["1.1"], value=9)
    services.record_score(user, sheet=sheet, criterion=codes["2.1"], value=9)
    with pytest.raises(ValidationError) as error:
        services.submit_sheet(user, sheet=sheet)
    assert "1.2" in str(error.value)
    sheet.refresh_from_db()
    assert sheet.status == Step.SELF_ASSESSING
    assert ScoreTable.objects.get(pk=review.table_id).frozen_at is None


def test_cannot_submit_without_the_required_evidence(review, crew, wards):
    codes = criteria(review.table)
    sheet = sheet_of(review, wards[0])
    user = crew["ward0"]
    for code in ("1.1", "1.2", "2.1"):
        services.record_score(user, sheet=sheet, criterion=codes[code], value=5)
    with pytest.raises(ValidationError) as error:
        services.submit_sheet(user, sheet=sheet)
    assert "1.1" in str(error.value)
    services.add_evidence(user, sheet=sheet, criterion=codes["1.1"], file=evidence_file())
    services.submit_sheet(user, sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.status == Step.SUBMITTED
    # locked for the member once submitted
    with pytest.raises(ValidationError):
        services.record_score(user, sheet=sheet, criterion=codes["1.2"], value=6)


def test_a_score_stays_within_its_maximum(review, crew, wards):
    codes = criteria(review.table)
    with pytest.raises(ValidationError):
        services.record_score(
            crew["ward0"], sheet=sheet_of(review, wards[0]), criterion=codes["1.2"], value=9
        )
    assert not ScoreEntry.objects.exists()


def test_another_ward_cannot_score_a_sheet(review, crew, wards):
    codes = criteria(review.table)
    with pytest.raises(PermissionDenied):
        services.record_score(
            crew["ward1"], sheet=sheet_of(review, wards[0]), criterion=codes["1.2"], value=5
        )


def test_a_return_without_a_reason_fails_and_goes_one_step_back_with_one(review, crew, wards):
    self_assess(review, crew, wards)
    walk_to(review, crew, Step.COUNCIL_REVIEW)
    sheet = sheet_of(review, wards[0])
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            services.return_sheet(crew["council"], sheet=sheet, reason=reason)
    sheet.refresh_from_db()
    assert sheet.status == Step.COUNCIL_REVIEW
    services.return_sheet(crew["council"], sheet=sheet, reason="Thiếu minh chứng tiêu chí 1.2")
    sheet.refresh_from_db()
    assert sheet.status == Step.BOARD_REVIEW
    assert sheet.return_reason == "Thiếu minh chứng tiêu chí 1.2"
    assert sheet.events.last().reason == "Thiếu minh chứng tiêu chí 1.2"
    # the member's own scores are untouched
    assert ScoreEntry.objects.filter(sheet=sheet, step=Step.SELF_ASSESSING).count() == 3
    # the board is told
    assert Notification.objects.filter(user=crew["leader"]).exists()


def test_council_adjusts_a_score_with_a_reason_audited_old_and_new(review, crew, wards):
    self_assess(review, crew, wards, values=(9, 8, 8))
    walk_to(review, crew, Step.COUNCIL_REVIEW)
    codes = criteria(review.table)
    sheet = sheet_of(review, wards[0])
    with pytest.raises(ValidationError):
        services.record_score(crew["council"], sheet=sheet, criterion=codes["1.2"], value=6)
    services.record_score(
        crew["council"], sheet=sheet, criterion=codes["1.2"], value=6, comment="Chưa đủ số lớp"
    )
    entry = ScoreEntry.objects.filter(sheet=sheet, criterion=codes["1.2"]).last()
    assert (entry.previous_value, entry.value, entry.author) == (8, 6, crew["council"])
    event = AuditEvent.objects.filter(verb="clusters.score").order_by("pk").last()
    assert event.data["old"] == "8.00" and event.data["new"] == "6.00"
    assert sheet_scores([sheet])[sheet.pk].final_total == Decimal("9") + 6 + 8


def test_after_publication_every_score_write_fails(review, crew, wards):
    self_assess(review, crew, wards)
    walk_to(review, crew, Step.STANDING_REVIEW)
    services.publish_review(crew["leader"], review=review)
    codes = criteria(review.table)
    sheet = sheet_of(review, wards[0])
    assert sheet.status == Step.PUBLISHED
    before = ScoreEntry.objects.count()
    for actor in (crew["leader"], crew["council"], crew["specialist"], crew["ward0"]):
        with pytest.raises(ValidationError) as error:
            services.record_score(
                actor, sheet=sheet, criterion=codes["1.2"], value=1, comment="sửa"
            )
        assert error.value.code == "final_state"
    with pytest.raises(ValidationError):
        services.add_evidence(
            crew["ward0"], sheet=sheet, criterion=codes["1.1"], file=evidence_file()
        )
    with pytest.raises(ValidationError):
        services.return_sheet(crew["leader"], sheet=sheet, reason="mở lại")
    assert ScoreEntry.objects.count() == before


def test_publishing_needs_every_sheet_at_the_last_step(review, crew, wards):
    self_assess(review, crew, wards)
    walk_to(review, crew, Step.COUNCIL_REVIEW)
    with pytest.raises(ValidationError):
        services.publish_review(crew["leader"], review=review)
    assert not review.ranking.exists()


def test_editing_a_criterion_after_submission_makes_a_new_version(review, crew, wards):
    codes = criteria(review.table)
    sheet = sheet_of(review, wards[0])
    user = crew["ward0"]
    services.add_evidence(user, sheet=sheet, criterion=codes["1.1"], file=evidence_file())
    for code in ("1.1", "1.2", "2.1"):
        services.record_score(user, sheet=sheet, criterion=codes[code], value=5)
    services.submit_sheet(user, sheet=sheet)
    v1 = ScoreTable.objects.get(pk=review.table_id)
    assert v1.is_frozen
    changed = services.edit_criterion(
        crew["specialist"], criterion=codes["1.2"], max_points=Decimal(6), note="Giảm điểm 1.2"
    )
    v2 = changed.table
    assert (v2.version, v2.previous) == (2, v1)
    assert codes["1.2"].__class__.objects.get(pk=codes["1.2"].pk).max_points == 8  # v1 unchanged
    assert changed.max_points == 6
    sheet.refresh_from_db()
    review.refresh_from_db()
    assert sheet.table == v1  # the sheet stays on its version
    assert sheet_of(review, wards[1]).table == v1
    assert review.table == v2
    assert Notification.objects.filter(user=crew["ward3"]).exists()
    # the frozen version cannot be edited in place any more
    with pytest.raises(ValidationError):
        services.edit_criterion(crew["specialist"], criterion=codes["1.2"], max_points=Decimal(5))


def test_peer_assignment_eight_members_three_each(review, crew, wards):
    review.peer_count = 3
    review.save()
    services.assign_peers(crew["specialist"], review=review)
    rows = list(PeerAssignment.objects.filter(review=review).select_related("scorer", "sheet"))
    assert len(rows) == 24
    assert all(r.scorer_id != r.sheet_id for r in rows)
    given = Counter(r.scorer_id for r in rows)
    received = Counter(r.sheet_id for r in rows)
    assert set(given.values()) == {3} and len(given) == 8
    assert set(received.values()) == {3} and len(received) == 8


def test_peers_score_the_sheets_assigned_to_them_only(review, crew, wards):
    review.peer_count = 3
    review.save()
    services.assign_peers(crew["specialist"], review=review)
    self_assess(review, crew, wards)
    services.forward_sheet(crew["specialist"], sheet=sheet_of(review, wards[0]))
    sheet = sheet_of(review, wards[0])
    assert sheet.status == Step.PEER_SCORING
    codes = criteria(review.table)
    scorers = {a.scorer.unit for a in sheet.peers.select_related("scorer__unit")}
    assert wards[0] not in scorers
    scorer = next(iter(scorers))
    scorer_user = crew[f"ward{wards.index(scorer)}"]
    services.record_score(
        scorer_user, sheet=sheet, criterion=codes["1.2"], value=6, scorer_unit=scorer
    )
    stranger = next(w for w in wards if w not in scorers and w != wards[0])
    with pytest.raises(PermissionDenied):
        services.record_score(
            crew[f"ward{wards.index(stranger)}"],
            sheet=sheet,
            criterion=codes["1.2"],
            value=6,
            scorer_unit=stranger,
        )
    assert sheet_scores([sheet])[sheet.pk].peer[codes["1.2"].pk] == 6


def test_rotation_proposes_the_next_head_and_an_election_may_choose_another(cluster, crew, wards):
    a, b, c = wards[:3]
    s = crew["specialist"]
    t2025 = services.open_term(s, cluster=cluster, year=2025, head=a, rotation_order=[a, b, c])
    assert t2025.head == a
    t2026 = services.open_term(s, cluster=cluster, year=2026)
    assert t2026.head == b and t2026.source == Term.Source.ROTATION
    with pytest.raises(ValidationError):
        services.record_election(s, term=t2026, head=c, elected_on=dt.date(2026, 1, 10), note="")
    services.record_election(
        s,
        term=t2026,
        head=c,
        elected_on=dt.date(2026, 1, 10),
        note="Hội nghị cụm bầu Phường Cầu làm Cụm trưởng",
        votes_for=7,
        voters=8,
    )
    t2026.refresh_from_db()
    assert (t2026.head, t2026.source, t2026.votes_for) == (c, Term.Source.ELECTION, 7)
    t2027 = services.open_term(s, cluster=cluster, year=2027)
    assert t2027.head == a  # after C comes A again


def test_minimum_members(crew, tree, wards, table):
    small = services.create_cluster(crew["specialist"], owner_unit=tree["city"], name="Cụm nhỏ")
    services.add_members(
        crew["specialist"], cluster=small, units=wards[:4], joined_on=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.open_review(crew["specialist"], cluster=small, year=2025, table=table)


def test_members_survive_a_merger_through_lineage(cluster, wards, tree):
    merged_day = dt.date(2025, 7, 1)
    restructuring = Restructuring.objects.create(
        effective_date=merged_day, title="Sáp nhập", legal_basis="NQ 1656"
    )
    old = wards[0]
    old.valid_to = merged_day - dt.timedelta(days=1)
    old.save()
    new = make_unit("Phường An Bình", parent=tree["city"], kind_code="ward", code="w-new",
                    valid_from=merged_day)  # fmt: skip
    Lineage.objects.create(
        restructuring=restructuring, predecessor=old, successor=new, share=1, is_default=True
    )
    members = current_members(cluster, on=dt.date(2025, 12, 31))
    assert new in members and old not in members and len(members) == 8


def test_ranking_records_the_tie_break_and_nominates_the_top(
    review, crew, wards, city_round, awards
):
    city_round.award_types.add(awards["co-thi-dua"])
    self_assess(review, crew, wards)
    walk_to(review, crew, Step.STANDING_REVIEW)
    services.publish_review(crew["leader"], review=review)
    rows = list(review.ranking.order_by("position"))
    assert [r.position for r in rows] == list(range(1, 9))
    assert rows[0].total >= rows[-1].total
    tied = [r for r in rows if r.tie_break]
    assert tied  # wards 0 and 4 score alike
    made = services.nominate_flags(crew["leader"], review=review, round=city_round)
    assert len(made) == 1
    nomination = made[0].nomination
    assert nomination.award_type.code == "co-thi-dua"
    assert nomination.unit == rows[0].unit
    assert sheet_of(review, rows[0].unit).status == Step.NOMINATED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_every_score_write_after_publication(review, crew, wards):
    self_assess(review, crew, wards)
    walk_to(review, crew, Step.STANDING_REVIEW)
    services.publish_review(crew["leader"], review=review)
    sheet = sheet_of(review, wards[0])
    codes = criteria(review.table)
    entry = ScoreEntry.objects.filter(sheet=sheet).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        ScoreEntry.objects.create(
            sheet=sheet, criterion=codes["1.2"], step=Step.COUNCIL_REVIEW, value=1
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        ScoreEntry.objects.filter(pk=entry.pk).update(value=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        ScoreSheet.objects.filter(pk=sheet.pk).update(status=Step.SELF_ASSESSING)
    with pytest.raises(DatabaseError), transaction.atomic():
        Evidence.objects.filter(sheet=sheet).update(name="x.pdf")
    assert ScoreSheet.objects.get(pk=sheet.pk).status == Step.PUBLISHED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_keeps_score_entries_append_only(review, crew, wards):
    codes = criteria(review.table)
    entry = services.record_score(
        crew["ward0"], sheet=sheet_of(review, wards[0]), criterion=codes["1.2"], value=5
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        ScoreEntry.objects.filter(pk=entry.pk).update(value=8)
    with pytest.raises(DatabaseError), transaction.atomic():
        ScoreEntry.objects.filter(pk=entry.pk)._raw_delete(ScoreEntry.objects.db)
    assert ScoreEntry.objects.get(pk=entry.pk).value == 5


def test_an_organising_unit_runs_its_own_chain(review, crew, wards, tree):
    services.configure_chain(
        crew["specialist"],
        owner_unit=tree["city"],
        steps=[Step.COUNCIL_REVIEW, Step.SPECIALIST_REVIEW],
    )
    self_assess(review, crew, wards)
    sheet = sheet_of(review, wards[0])
    services.forward_sheet(crew["specialist"], sheet=sheet)
    assert sheet.status == Step.SPECIALIST_REVIEW
    services.forward_sheet(crew["specialist"], sheet=sheet)
    assert sheet.status == Step.COUNCIL_REVIEW  # no board step in this chain
    services.return_sheet(crew["council"], sheet=sheet, reason="Xem lại tiêu chí 2.1")
    assert sheet.status == Step.SPECIALIST_REVIEW
    with pytest.raises(ValidationError):
        services.configure_chain(crew["specialist"], owner_unit=tree["city"], steps=["published"])
