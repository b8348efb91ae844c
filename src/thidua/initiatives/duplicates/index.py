"""The near-duplicate index in the database: fingerprints, band keys, boilerplate sentences and
the candidate pairs, kept up to date by a background task when a submission is saved."""

from __future__ import annotations

import hashlib

import numpy as np
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django_tasks import task

from thidua.initiatives.duplicates import algorithm
from thidua.initiatives.duplicates.algorithm import (
    BOILERPLATE_IN_CALL,
    METHOD,
    MIN_BAND_MATCHES,
    Fingerprint,
    Similarity,
    exact_scores,
    fingerprint,
    normalise,
    score_candidates,
    sentence_keys,
    submission_text,
)
from thidua.initiatives.models import Submission
from thidua.initiatives.models_duplicates import (
    DuplicateCandidate,
    DuplicateMark,
    SimilarityBand,
    SimilaritySentence,
    SimilaritySignature,
)

INDEXED_STATUSES = [s for s in Submission.Status.values if s != Submission.Status.DRAFT]


def text_of(submission: Submission) -> str:
    return submission_text(submission.title, submission.summary, submission.description)


def _text_hash(text: str) -> str:
    return hashlib.sha256(f"{METHOD}\n{normalise(text)}".encode()).hexdigest()


def _forget(submission_id: int) -> None:
    """Out of the index (a draft): its keys and unmarked pairs go; marked pairs stay."""
    SimilarityBand.objects.filter(submission_id=submission_id).delete()
    SimilaritySentence.objects.filter(submission_id=submission_id).delete()
    SimilaritySignature.objects.filter(submission_id=submission_id).delete()
    DuplicateCandidate.objects.filter(Q(a_id=submission_id) | Q(b_id=submission_id)).exclude(
        Exists(DuplicateMark.objects.filter(candidate=OuterRef("pk")))
    ).delete()


def _store(submission: Submission) -> Fingerprint:
    """Signature and band keys, rewritten only when the text (or the method) changed."""
    text = text_of(submission)
    print_ = fingerprint(text)
    digest = _text_hash(text)
    with transaction.atomic():
        stored = SimilaritySignature.objects.select_for_update().filter(submission=submission)
        current = stored.first()
        if current is not None and current.text_hash == digest and current.method == METHOD:
            return print_
        SimilaritySignature.objects.update_or_create(
            submission=submission,
            defaults={
                "minhash": print_.signature.astype("<u4").tobytes(),
                "shingle_count": len(print_.shingles),
                "text_hash": digest,
                "method": METHOD,
            },
        )
        SimilarityBand.objects.filter(submission=submission).delete()
        SimilarityBand.objects.bulk_create(
            [SimilarityBand(submission=submission, key=key) for key in set(print_.keys)]
        )
        SimilaritySentence.objects.filter(submission=submission).delete()
        SimilaritySentence.objects.bulk_create(
            [
                SimilaritySentence(submission=submission, call_id=submission.call_id, key=key)
                for key in sentence_keys(text)
            ]
        )
    return print_


def _sentence_counts(keys: set[int]) -> QuerySet:
    """These sentence keys, each annotated with how many submissions hold it."""
    return (
        SimilaritySentence.objects.filter(key__in=sorted(keys))
        .values("key")
        .annotate(submissions=Count("submission_id"))
    )


def _call_counts(keys: set[int]) -> QuerySet:
    """These sentence keys, per call that holds them, annotated with how many submissions of
    that call hold them."""
    return (
        SimilaritySentence.objects.filter(key__in=sorted(keys))
        .values("key", "call_id")
        .annotate(submissions=Count("submission_id"))
    )


def _boilerplate(keys: set[int]) -> set[int]:
    """Of these sentence keys, the boilerplate ones (`is_boilerplate`): two queries."""
    if not keys:
        return set()
    common = set(
        _sentence_counts(keys)
        .filter(submissions__gte=algorithm.BOILERPLATE_SUBMISSIONS)
        .values_list("key", flat=True)
    )
    rest = keys - common
    if rest:
        common |= set(
            _call_counts(rest)
            .filter(submissions__gte=BOILERPLATE_IN_CALL)
            .values_list("key", flat=True)
        )
    return common


def _settle_new_boilerplate(text: str, call_id: int) -> None:
    """Sentences of `text` that have just become boilerplate (this submission is the one that
    makes them common, in the index or in its call) made earlier pairs look alike: score those
    pairs again, without them. Each sentence crosses each line once, so this runs rarely, and
    a pair is written only when its figures change. Marked pairs are never touched."""
    keys = sentence_keys(text)
    if not keys:
        return
    crossed = set(
        _sentence_counts(keys)
        .filter(submissions=algorithm.BOILERPLATE_SUBMISSIONS)
        .values_list("key", flat=True)
    )
    crossed |= set(
        _call_counts(keys)
        .filter(call_id=call_id, submissions=BOILERPLATE_IN_CALL)
        .values_list("key", flat=True)
    )
    if not crossed:
        return
    sharing = SimilaritySentence.objects.filter(key__in=sorted(crossed)).values("submission_id")
    pairs = list(
        DuplicateCandidate.objects.filter(a_id__in=sharing, b_id__in=sharing)
        .exclude(Exists(DuplicateMark.objects.filter(candidate=OuterRef("pk"))))
        .order_by("pk")
    )
    texts = _texts(sorted({pk for pair in pairs for pk in (pair.a_id, pair.b_id)}))
    gone = []
    for pair in pairs:
        if pair.a_id in texts and pair.b_id in texts:
            found = exact_scores(texts[pair.a_id], {pair.b_id: texts[pair.b_id]}, _boilerplate)
            if pair.b_id not in found:
                gone.append(pair.pk)
                continue
            figures = found[pair.b_id].stored()
            if any(getattr(pair, name) != value for name, value in figures.items()):
                for name, value in figures.items():
                    setattr(pair, name, value)
                pair.save(update_fields=[*figures, "updated_at"])
    DuplicateCandidate.objects.filter(pk__in=gone).delete()


def _find(submission_id: int, print_: Fingerprint, text: str) -> dict[int, Similarity]:
    """Every indexed submission (any call, any unit) that may be a duplicate: one query for the
    candidates' signatures, one for the texts of those worth an exact score."""
    if print_.is_empty:
        return {}
    owners = (
        SimilarityBand.objects.filter(key__in=print_.keys)
        .exclude(submission_id=submission_id)
        .values("submission_id")
        .annotate(matches=Count("submission_id"))
        .filter(matches__gte=MIN_BAND_MATCHES)
        .values("submission_id")
    )
    rows = list(
        SimilaritySignature.objects.filter(submission_id__in=owners, method=METHOD)
        .order_by("submission_id")
        .values_list("submission_id", "minhash", "shingle_count")
    )
    if not rows:
        return {}
    found = score_candidates(
        print_,
        text,
        [pk for pk, _blob, _count in rows],
        np.stack([np.frombuffer(bytes(blob), dtype="<u4") for _pk, blob, _count in rows]),
        np.array([count for _pk, _blob, count in rows]),
        _texts,
        _boilerplate,
    )
    return dict(found)


def _texts(ids: list[int]) -> dict[int, str]:
    return {
        pk: submission_text(title, summary, description)
        for pk, title, summary, description in Submission.objects.filter(pk__in=ids).values_list(
            "pk", "title", "summary", "description"
        )
    }


def _recheck(text: str, ids: list[int]) -> dict[int, Similarity]:
    """Exact scores for pairs recorded earlier that this run's lookup did not return (the other
    side found them, possibly while this task ran): they stay exactly when they still score."""
    return exact_scores(text, _texts(ids), _boilerplate) if ids else {}


def update_duplicate_index(*, submission_id: int) -> list[DuplicateCandidate]:
    """Index one submission and record its possible duplicates among all indexed submissions.
    Idempotent: running it again on the same texts changes nothing. A pair no longer found is
    dropped unless an officer has marked it; marks are never touched."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return []
    if submission.status not in INDEXED_STATUSES:
        with transaction.atomic():
            _forget(submission_id)
        return []
    print_ = _store(submission)
    text = text_of(submission)
    _settle_new_boilerplate(text, submission.call_id)
    found = _find(submission_id, print_, text)
    mine = Q(a_id=submission_id) | Q(b_id=submission_id)
    recorded = {
        b if a == submission_id else a
        for a, b in DuplicateCandidate.objects.filter(mine).values_list("a_id", "b_id")
    }
    found.update(_recheck(text, sorted(recorded - set(found))))
    with transaction.atomic():
        existing = {
            candidate.other(submission_id): candidate
            for candidate in DuplicateCandidate.objects.select_for_update()
            .filter(mine)
            .annotate(marked=Exists(DuplicateMark.objects.filter(candidate=OuterRef("pk"))))
            .order_by("pk")  # one lock order for every task: no deadlock between them
        }
        fresh = []
        for other, result in found.items():
            values = {**result.stored(), "method": METHOD}
            candidate = existing.get(other)
            if candidate is None:
                a, b = sorted((submission_id, other))
                fresh.append(DuplicateCandidate(a_id=a, b_id=b, **values))
            elif any(getattr(candidate, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(candidate, name, value)
                candidate.save(update_fields=[*values, "updated_at"])
        # The other side may be recording the same pair right now: it has the same score.
        DuplicateCandidate.objects.bulk_create(fresh, ignore_conflicts=True)
        # A pair recorded by the other side after the recheck above is left for the next run.
        stale = [
            c.pk
            for other, c in existing.items()
            if other not in found and other in recorded and not c.marked
        ]
        if stale:
            DuplicateCandidate.objects.filter(pk__in=stale).delete()
    return list(DuplicateCandidate.objects.filter(mine))


@task()
def index_submission(submission_id: int) -> int:
    """Background: index one submission; returns how many possible duplicates it has."""
    return len(update_duplicate_index(submission_id=submission_id))


def schedule_indexing(submission: Submission) -> None:
    """Index `submission` once the caller's transaction commits (a draft waits until it is
    submitted: its email confirmation calls this again)."""
    if submission.status in INDEXED_STATUSES:
        submission_id = submission.pk
        transaction.on_commit(lambda: index_submission.enqueue(submission_id))


def schedule_backfill() -> int:
    """Enqueue every submitted initiative that has no current signature (first deployment, or
    after METHOD changed). Returns how many were enqueued."""
    current = SimilaritySignature.objects.filter(submission=OuterRef("pk"), method=METHOD)
    ids = list(
        Submission.objects.filter(status__in=INDEXED_STATUSES)
        .exclude(Exists(current))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for submission_id in ids:
        index_submission.enqueue(submission_id)
    return len(ids)
