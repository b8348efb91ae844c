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

The package: `algorithm` (plain text and arrays), `index` (the database index and its task),
`selectors` (the screening pages' reads); the verdict is written by
`thidua.initiatives.services.duplicates`.
"""

from thidua.initiatives.duplicates.algorithm import (
    BANDS,
    BOILERPLATE_IN_CALL,
    BOILERPLATE_SUBMISSIONS,
    CONTAINMENT_MIN_SHINGLES,
    CONTAINMENT_THRESHOLD,
    ESTIMATE_CONTAINMENT_FLOOR,
    ESTIMATE_JACCARD_FLOOR,
    JACCARD_THRESHOLD,
    METHOD,
    MIN_BAND_MATCHES,
    NUM_PERM,
    OVERLAP_WORDS,
    ROWS,
    SENTENCE_MIN_CHARS,
    SHINGLE,
    BoilerplateLookup,
    Fingerprint,
    MemoryIndex,
    Passage,
    Similarity,
    TextLoader,
    band_keys,
    estimate,
    exact_scores,
    fingerprint,
    fold,
    is_boilerplate,
    minhash,
    normalise,
    score_candidates,
    sentence_keys,
    sentences,
    shared_passages,
    shared_share,
    shingles,
    similarity,
    submission_text,
    without,
)
from thidua.initiatives.duplicates.index import (
    INDEXED_STATUSES,
    index_submission,
    schedule_backfill,
    schedule_indexing,
    text_of,
    update_duplicate_index,
)
from thidua.initiatives.duplicates.selectors import (
    ComparedField,
    Comparison,
    DuplicatePanel,
    DuplicateRow,
    duplicate_panel,
    get_comparison_for_user,
)

__all__ = [
    "BANDS",
    "BOILERPLATE_IN_CALL",
    "BOILERPLATE_SUBMISSIONS",
    "BoilerplateLookup",
    "CONTAINMENT_MIN_SHINGLES",
    "CONTAINMENT_THRESHOLD",
    "ComparedField",
    "Comparison",
    "DuplicatePanel",
    "DuplicateRow",
    "ESTIMATE_CONTAINMENT_FLOOR",
    "ESTIMATE_JACCARD_FLOOR",
    "Fingerprint",
    "INDEXED_STATUSES",
    "JACCARD_THRESHOLD",
    "METHOD",
    "MIN_BAND_MATCHES",
    "MemoryIndex",
    "NUM_PERM",
    "OVERLAP_WORDS",
    "Passage",
    "ROWS",
    "SENTENCE_MIN_CHARS",
    "SHINGLE",
    "Similarity",
    "TextLoader",
    "band_keys",
    "duplicate_panel",
    "estimate",
    "exact_scores",
    "fingerprint",
    "fold",
    "get_comparison_for_user",
    "index_submission",
    "is_boilerplate",
    "minhash",
    "normalise",
    "schedule_backfill",
    "schedule_indexing",
    "score_candidates",
    "sentence_keys",
    "sentences",
    "shared_passages",
    "shared_share",
    "shingles",
    "similarity",
    "submission_text",
    "text_of",
    "update_duplicate_index",
    "without",
]
