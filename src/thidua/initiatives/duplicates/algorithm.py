"""The near-duplicate algorithm on plain text and arrays (no database): normalising, shingles,
MinHash and bands, similarity, boilerplate, shared passages, and an in-memory index for
benchmarks and tests. The method is described in `thidua.initiatives.duplicates`."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from unidecode import unidecode

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
