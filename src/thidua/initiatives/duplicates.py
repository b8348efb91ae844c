"""Near-duplicate detection for submissions: the same idea submitted twice, in this call, a past
call or another unit, with or without diacritics, reordered, lightly paraphrased or copy-edited.

The method (chosen by measurement, see `benchmarks/duplicates.py`):

1. normalise: diacritics folded (Vietnamese, Indonesian, any Latin text; other scripts through
   unidecode), lower case, everything but letters and digits dropped, spaces removed;
2. shingles: the set of character 5-grams of that string (exact, packed in 40 bits);
3. a MinHash signature of NUM_PERM values, cut into BANDS bands of ROWS values; each band is one
   64-bit key (LSH). Submissions sharing at least MIN_BAND_MATCHES keys are candidates;
4. candidates whose signatures (with the shingle counts) estimate them near a threshold are
   scored exactly: Jaccard similarity and containment of the shingle sets. A pair is a possible
   duplicate when either reaches its threshold.
5. boilerplate does not count: a sentence found in BOILERPLATE_SUBMISSIONS or more indexed
   submissions, or in BOILERPLATE_IN_CALL or more submissions of one call (a form's headings,
   "the model is cheap and can be replicated", a closing formula the call's form invites) is
   left out of the exact score. Found on the demo data, where submissions share such sentences:
   without this step 34,486 of 36,138 pairs flagged were different initiatives sharing stock
   sentences. The count within a call is what makes the rule work in a call of a hundred,
   where a stock sentence in a dozen submissions never reaches the corpus-wide count; a real
   duplicate family inside one call (the same initiative sent several times to one call) is
   far smaller, and a resubmission to a later call counts in another call. Chosen by
   measurement (`benchmarks/duplicates.py --rules`, figures in `benchmarks/README.md`).

The text functions and `MemoryIndex` touch no database, so `benchmarks/duplicates.py` measures
the very code the app runs; `update_duplicate_index` keeps the same index in three tables.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django_tasks import task
from unidecode import unidecode

from thidua.core import audit
from thidua.initiatives.models import Call, Submission
from thidua.initiatives.models_duplicates import (
    DuplicateCandidate,
    DuplicateMark,
    SimilarityBand,
    SimilaritySentence,
    SimilaritySignature,
)
from thidua.initiatives.selectors import is_secretariat

SHINGLE = 5
ROWS = 2
BANDS = 64
NUM_PERM = ROWS * BANDS
# Measured on 20,000 generated submissions: asking for two shared bands instead of one keeps
# recall (0.9975 against 0.9988) and cuts the candidates to score 25-fold (11 against 277 on
# average, p95 52 against 845), which is what keeps a check fast in the database.
MIN_BAND_MATCHES = 2
JACCARD_THRESHOLD = 0.20
CONTAINMENT_THRESHOLD = 0.50
# Containment is only trusted when the smaller text has this many shingles (about 20 words):
# a few words of a title are found in many long texts by chance.
CONTAINMENT_MIN_SHINGLES = 100
# Candidates whose signatures say they are clearly below both thresholds are not scored exactly
# (about 2 standard errors of a 128-value estimate below each threshold).
ESTIMATE_JACCARD_FLOOR = 0.14
ESTIMATE_CONTAINMENT_FLOOR = 0.40
METHOD = f"minhash-c{SHINGLE}-{BANDS}x{ROWS}"
# A sentence in this many submissions is boilerplate; a real duplicate cluster is far smaller.
BOILERPLATE_SUBMISSIONS = 20
# ... and so is a sentence in this many submissions of one call (see step 5 above).
BOILERPLATE_IN_CALL = 5
# Shorter sentences (after normalising) are not counted: they are kept as they are.
SENTENCE_MIN_CHARS = 12

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SENTENCE_END = re.compile(r"[.!?;:\n\u2026]+(?:\s+|$)|\n")
_COMBINING = re.compile("[\u0300-\u036f]")
_SHIFT32 = np.uint64(32)
_BLOCK = 256


def _constants(label: str, count: int) -> np.ndarray:
    """Fixed 64-bit odd multipliers / offsets. Derived from SHA-256, never from a random
    generator, so stored signatures stay comparable across numpy versions and machines."""
    values = [
        int.from_bytes(hashlib.sha256(f"thidua-{label}-{i}".encode()).digest()[:8], "little")
        for i in range(count)
    ]
    return np.array(values, dtype=np.uint64)


_MIX = _constants("mix", 1) | np.uint64(1)
_A = _constants("perm-a", NUM_PERM) | np.uint64(1)
_B = _constants("perm-b", NUM_PERM)


def fold(text: str) -> str:
    """Lower-case ASCII with diacritics removed: "Đường làng" and "Duong lang" are equal."""
    text = unicodedata.normalize("NFKD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = _COMBINING.sub("", text)
    if not text.isascii():
        text = unidecode(text)
    return text.lower()


def normalise(text: str) -> str:
    """The string that is shingled: folded, letters and digits only, no spaces (so a word split
    or joined differently, or punctuation changed, costs almost nothing)."""
    return _NOT_ALNUM.sub("", fold(text))


def shingles(normalised: str) -> np.ndarray:
    """Sorted unique character SHINGLE-grams, each packed exactly into a uint64."""
    data = np.frombuffer(normalised.encode("ascii"), dtype=np.uint8).astype(np.uint64)
    count = len(data) - SHINGLE + 1
    if count <= 0:
        if not len(data):
            return np.empty(0, dtype=np.uint64)
        count, width = 1, len(data)
    else:
        width = SHINGLE
    packed = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        packed = (packed << np.uint64(8)) | data[offset : offset + count]
    return np.unique(packed)


def minhash(values: np.ndarray) -> np.ndarray:
    """NUM_PERM minimum hashes (uint32) of a shingle set: multiply-add-shift hashing, which is
    (almost) pairwise independent, over a 32-bit mix of each shingle."""
    if not len(values):
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    mixed = (values * _MIX) >> _SHIFT32
    result = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    # In cache-sized blocks, in place; the shift is taken after the minimum (it is monotone).
    buffer = np.empty((_BLOCK, NUM_PERM), dtype=np.uint64)
    for start in range(0, len(mixed), _BLOCK):
        block = mixed[start : start + _BLOCK, None]
        hashed = buffer[: len(block)]
        np.multiply(block, _A, out=hashed)
        np.add(hashed, _B, out=hashed)
        np.minimum(result, hashed.min(axis=0), out=result)
    return (result >> _SHIFT32).astype(np.uint32)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (it fits a BigIntegerField); the band's index is hashed
    in, so equal values in different bands never meet."""
    raw = signature.astype("<u4").tobytes()
    width = ROWS * 4
    return [
        int.from_bytes(
            hashlib.blake2b(
                raw[band * width : (band + 1) * width],
                digest_size=8,
                person=b"thidua-band" + bytes([band]),
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    ]


def _sentence_key(normalised: str) -> int:
    digest = hashlib.blake2b(normalised.encode("ascii"), digest_size=8, person=b"thidua-sent")
    return int.from_bytes(digest.digest(), "little", signed=True)


def sentences(text: str) -> list[tuple[str, int | None]]:
    """The text cut into sentences, each with its key (None for a sentence too short to count)."""
    result = []
    for part in _SENTENCE_END.split(text or ""):
        normalised = normalise(part)
        if normalised:
            key = _sentence_key(normalised) if len(normalised) >= SENTENCE_MIN_CHARS else None
            result.append((part, key))
    return result


def sentence_keys(text: str) -> set[int]:
    return {key for _part, key in sentences(text) if key is not None}


def without(text: str, boilerplate: set[int]) -> str:
    """`text` less its boilerplate sentences."""
    if not boilerplate:
        return text
    return "\n".join(part for part, key in sentences(text) if key not in boilerplate)


def is_boilerplate(in_corpus: int, in_one_call: int) -> bool:
    """The rule of step 5, from a sentence's count of submissions in the whole index and its
    largest count in one call."""
    return in_corpus >= BOILERPLATE_SUBMISSIONS or in_one_call >= BOILERPLATE_IN_CALL


# Given sentence keys, which of them are boilerplate (`is_boilerplate`).
BoilerplateLookup = Callable[[set[int]], set[int]]


@dataclass(frozen=True)
class Fingerprint:
    shingles: np.ndarray
    signature: np.ndarray
    keys: tuple[int, ...]

    @property
    def is_empty(self) -> bool:
        return not len(self.shingles)


def submission_text(title: str, summary: str, description: str) -> str:
    return "\n".join([title or "", summary or "", description or ""])


def fingerprint(text: str) -> Fingerprint:
    values = shingles(normalise(text))
    signature = minhash(values)
    keys = tuple(band_keys(signature)) if len(values) else ()
    return Fingerprint(shingles=values, signature=signature, keys=keys)


def estimate(
    signature: np.ndarray, count: int, others: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(Jaccard, containment) of one fingerprint against many, estimated from the signatures
    (share of equal values) and the shingle counts; no text needed."""
    jaccard = (others == signature).mean(axis=1)
    common = jaccard * (count + counts) / (1 + jaccard)
    smaller = np.minimum(count, counts)
    containment = np.where(
        smaller >= CONTAINMENT_MIN_SHINGLES, common / np.maximum(smaller, 1), 0.0
    )
    return jaccard, containment


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment: float

    @property
    def is_duplicate(self) -> bool:
        return self.jaccard >= JACCARD_THRESHOLD or self.containment >= CONTAINMENT_THRESHOLD

    @property
    def score(self) -> float:
        """What the screening shows and sorts by: the larger of the two."""
        return max(self.jaccard, self.containment)

    def stored(self) -> dict[str, float]:
        """The figures a `DuplicateCandidate` keeps."""
        return {
            "score": round(self.score, 4),
            "jaccard": round(self.jaccard, 4),
            "containment": round(self.containment, 4),
        }


def similarity(a: np.ndarray, b: np.ndarray) -> Similarity:
    """Exact Jaccard and containment (share of the smaller set found in the larger)."""
    if not len(a) or not len(b):
        return Similarity(0.0, 0.0)
    common = len(np.intersect1d(a, b, assume_unique=True))
    smaller = min(len(a), len(b))
    containment = common / smaller if smaller >= CONTAINMENT_MIN_SHINGLES else 0.0
    return Similarity(common / (len(a) + len(b) - common), containment)


TextLoader = Callable[[list[int]], dict[int, str]]


def exact_scores(
    text: str, texts: dict[int, str], boilerplate: BoilerplateLookup
) -> dict[int, Similarity]:
    """Steps 4 and 5: exact scores of `text` against `texts`, their boilerplate left out. Only
    the pairs that are possible duplicates."""
    if not texts:
        return {}
    keys = sentence_keys(text)
    for other in texts.values():
        keys |= sentence_keys(other)
    common = boilerplate(keys) if keys else set()
    mine = shingles(normalise(without(text, common)))
    found = {}
    for other, other_text in texts.items():
        result = similarity(mine, shingles(normalise(without(other_text, common))))
        if result.is_duplicate:
            found[other] = result
    return found


def score_candidates(
    print_: Fingerprint,
    text: str,
    ids: list[int],
    signatures: np.ndarray,
    counts: np.ndarray,
    load_texts: TextLoader,
    boilerplate: BoilerplateLookup,
) -> list[tuple[int, Similarity]]:
    """Step 4 for the candidates `ids` (their signatures and shingle counts in the same order):
    estimates first; exact scores, from the texts, only for the candidates that may reach a
    threshold. The possible duplicates, best first."""
    if not ids or print_.is_empty:
        return []
    jaccard, containment = estimate(print_.signature, len(print_.shingles), signatures, counts)
    keep = (jaccard >= ESTIMATE_JACCARD_FLOOR) | (containment >= ESTIMATE_CONTAINMENT_FLOOR)
    close = [other for other, kept in zip(ids, keep, strict=True) if kept]
    if not close:
        return []
    found = list(exact_scores(text, load_texts(close), boilerplate).items())
    found.sort(key=lambda item: (-item[1].score, item[0]))
    return found


class MemoryIndex:
    """The index in memory, working exactly as the database index does (same keys, same
    filters, same scores): the benchmark measures it without a database."""

    def __init__(self, rule: Callable[[int, int], bool] | None = None) -> None:
        self.buckets: dict[int, list[int]] = {}
        self.rows: dict[int, int] = {}
        self.signatures: list[np.ndarray] = []
        self.counts: list[int] = []
        self.texts: dict[int, str] = {}
        self.sentences: Counter[int] = Counter()
        self.in_call: Counter[tuple[Any, int]] = Counter()
        self.peak: Counter[int] = Counter()  # a sentence's largest count in one call
        self.rule = rule  # `is_boilerplate` unless given (the benchmark compares rules)
        self.holders: dict[int, list[int]] = {}  # sentence key → the submissions holding it

    def __len__(self) -> int:
        return len(self.texts)

    def add(
        self, key: int, text: str, print_: Fingerprint | None = None, *, call: Any = None
    ) -> set[int]:
        """Index `text` under `key`; `call`: the call it was sent to (None: counted in the
        whole index only). Returns the submissions holding a sentence that this one has just
        made boilerplate: pairs among them recorded earlier are to be scored again (`settle`),
        as `update_duplicate_index` does in the database."""
        print_ = print_ or fingerprint(text)
        self.texts[key] = text
        self.rows[key] = len(self.signatures)
        self.signatures.append(print_.signature)
        self.counts.append(len(print_.shingles))
        keys = sentence_keys(text)
        was = self.boilerplate(keys)
        self.sentences.update(keys)
        for sentence in keys:
            self.holders.setdefault(sentence, []).append(key)
            if call is not None:
                self.in_call[call, sentence] += 1
                self.peak[sentence] = max(self.peak[sentence], self.in_call[call, sentence])
        for band in print_.keys:
            self.buckets.setdefault(band, []).append(key)
        crossed = self.boilerplate(keys) - was
        return {holder for sentence in crossed for holder in self.holders[sentence]}

    def boilerplate(self, keys: set[int]) -> set[int]:
        rule = self.rule or is_boilerplate
        return {key for key in keys if rule(self.sentences[key], self.peak[key])}

    def settle(self, pairs: set[tuple[int, int]], sharing: set[int]) -> set[tuple[int, int]]:
        """Of the recorded `pairs`, those among `sharing` (what `add` returned) that are no
        longer possible duplicates now that their common sentences are boilerplate."""
        return {
            (a, b)
            for a, b in pairs
            if a in sharing
            and b in sharing
            and b not in exact_scores(self.texts[a], {b: self.texts[b]}, self.boilerplate)
        }

    def candidates(self, print_: Fingerprint) -> set[int]:
        matches: Counter[int] = Counter()
        for band in print_.keys:
            matches.update(self.buckets.get(band, ()))
        return {key for key, count in matches.items() if count >= MIN_BAND_MATCHES}

    def query(self, text: str, print_: Fingerprint | None = None) -> list[tuple[int, Similarity]]:
        print_ = print_ or fingerprint(text)
        ids = sorted(self.candidates(print_))
        if not ids:
            return []
        rows = [self.rows[i] for i in ids]
        return score_candidates(
            print_,
            text,
            ids,
            np.stack([self.signatures[r] for r in rows]),
            np.array([self.counts[r] for r in rows]),
            lambda close: {i: self.texts[i] for i in close},
            self.boilerplate,
        )


# --- overlapping passages, for the side-by-side view ----------------------------------------

OVERLAP_WORDS = 5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Passage:
    text: str
    shared: bool


def _words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised form) of each word; words that normalise to nothing are skipped."""
    words = []
    for match in _WORD.finditer(text or ""):
        form = normalise(match.group())
        if form:
            words.append((match.start(), match.end(), form))
    return words


def _runs(forms: list[str], words: int) -> set[tuple[str, ...]]:
    return {tuple(forms[i : i + words]) for i in range(len(forms) - words + 1)}


def shared_passages(text: str, other: str, *, words: int = OVERLAP_WORDS) -> list[Passage]:
    """`text` cut into passages, `shared` where a run of at least `words` words (compared
    normalised: diacritics, case and punctuation ignored) also occurs anywhere in `other`.
    Unlike a sequence diff it finds moved passages too (reordered sentences)."""
    mine = _words(text)
    theirs = _runs([form for _s, _e, form in _words(other)], words)
    shared = [False] * len(mine)
    forms = [form for _s, _e, form in mine]
    for i in range(len(mine) - words + 1):
        if tuple(forms[i : i + words]) in theirs:
            shared[i : i + words] = [True] * words
    passages: list[Passage] = []
    position = 0
    i = 0
    while i < len(mine):
        if not shared[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(mine) and shared[j + 1]:
            j += 1
        start, end = mine[i][0], mine[j][1]
        if start > position:
            passages.append(Passage(text[position:start], False))
        passages.append(Passage(text[start:end], True))
        position = end
        i = j + 1
    if position < len(text or ""):
        passages.append(Passage(text[position:], False))
    return passages


def shared_share(passages: list[Passage]) -> float:
    """Share of a text's words inside shared passages."""
    total = sum(len(_words(p.text)) for p in passages)
    return sum(len(_words(p.text)) for p in passages if p.shared) / total if total else 0.0


# --- the index in the database ----------------------------------------------------------------
#
# Writes happen in two transactions on purpose: the signature and band keys are committed
# before the candidates are looked up, so of two submissions indexed at the same moment at
# least one sees the other's keys (the pair is symmetric, so one sighting is enough).

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
        .filter(submissions__gte=BOILERPLATE_SUBMISSIONS)
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
        .filter(submissions=BOILERPLATE_SUBMISSIONS)
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


# --- officers' verdicts -------------------------------------------------------------------------


def mark_duplicate(
    actor: Any,
    *,
    submission: Submission,
    candidate: DuplicateCandidate,
    verdict: str,
    note: str = "",
) -> DuplicateMark:
    """The call's secretariat says whether a pair is the same initiative. Marks are appended,
    never edited: the latest one is the pair's verdict, and the audit chain records each."""
    if not is_secretariat(actor, submission.call):
        raise PermissionDenied(_("Only the council's secretariat can do this."))
    if submission.pk not in (candidate.a_id, candidate.b_id):
        raise ValidationError(_("This pair does not concern this submission."))
    mark = DuplicateMark(candidate=candidate, verdict=verdict, by=actor, note=note.strip())
    mark.full_clean()
    with transaction.atomic():
        mark.save()
        audit.record(
            actor,
            "initiatives.mark_duplicate",
            submission,
            {
                "candidate": candidate.pk,
                "other": candidate.other(submission.pk),
                "verdict": verdict,
                "score": candidate.score,
            },
            unit=submission.unit,
        )
    return mark


# --- reads for the screening pages ----------------------------------------------------------------


def _latest_verdict() -> Subquery:
    return Subquery(
        DuplicateMark.objects.filter(candidate=OuterRef("pk"))
        .order_by("-at", "-id")
        .values("verdict")[:1]
    )


@dataclass(frozen=True)
class DuplicateRow:
    candidate: DuplicateCandidate
    other: Submission
    verdict: str  # "" while nobody has marked the pair

    @property
    def verdict_label(self) -> str:
        return DuplicateMark.Verdict(self.verdict).label if self.verdict else ""


@dataclass(frozen=True)
class DuplicatePanel:
    call_id: int
    submission_id: int
    indexed: bool
    rows: list[DuplicateRow]


def duplicate_panel(submission: Submission) -> DuplicatePanel:
    """What `initiatives/duplicates_panel.html` shows on a submission's staff page: its possible
    duplicates, best first, with the latest verdict. Two queries. Show it to the call's
    secretariat only (the caller checks; the compare page checks again)."""
    candidates = (
        DuplicateCandidate.objects.filter(Q(a_id=submission.pk) | Q(b_id=submission.pk))
        .select_related("a__call", "a__unit", "b__call", "b__unit")
        .annotate(verdict=_latest_verdict())
        .order_by("-score", "id")
    )
    rows = [
        DuplicateRow(
            candidate=c,
            other=c.b if c.a_id == submission.pk else c.a,
            verdict=c.verdict or "",
        )
        for c in candidates
    ]
    return DuplicatePanel(
        call_id=submission.call_id,
        submission_id=submission.pk,
        indexed=SimilaritySignature.objects.filter(submission_id=submission.pk).exists(),
        rows=rows,
    )


@dataclass(frozen=True)
class ComparedField:
    label: str
    mine: list[Passage]
    theirs: list[Passage]


@dataclass(frozen=True)
class Comparison:
    submission: Submission
    other: Submission
    candidate: DuplicateCandidate
    fields: list[ComparedField]
    shared_mine: float
    shared_theirs: float
    may_see_other_applicant: bool
    marks: list[DuplicateMark]

    @property
    def verdict(self) -> str:
        return self.marks[0].verdict if self.marks else ""


def get_comparison_for_user(
    user: Any, call: Call, submission_id: int, candidate_id: int
) -> Comparison:
    """The side-by-side view of a pair, for the secretariat of `call` only; anything else, or a
    pair that does not concern this call's submission, answers 404 like a missing one."""
    if not is_secretariat(user, call):
        raise Http404
    submission = (
        Submission.objects.select_related("call", "unit")
        .filter(call=call, pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    candidate = (
        DuplicateCandidate.objects.filter(Q(a_id=submission.pk) | Q(b_id=submission.pk))
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404
    other = Submission.objects.select_related("call", "unit").get(pk=candidate.other(submission.pk))
    mine_text, theirs_text = text_of(submission), text_of(other)
    labels = [
        (_("Title"), "title"),
        (_("Summary"), "summary"),
        (_("Full description"), "description"),
    ]
    fields = [
        ComparedField(
            label=label,
            mine=shared_passages(getattr(submission, name), theirs_text),
            theirs=shared_passages(getattr(other, name), mine_text),
        )
        for label, name in labels
    ]
    return Comparison(
        submission=submission,
        other=other,
        candidate=candidate,
        fields=fields,
        shared_mine=shared_share([p for f in fields for p in f.mine]),
        shared_theirs=shared_share([p for f in fields for p in f.theirs]),
        may_see_other_applicant=is_secretariat(user, other.call),
        marks=list(candidate.marks.select_related("by").order_by("-at", "-id")),
    )
