"""The near-duplicate index of submissions and the officers' verdicts on the pairs it finds.

`SimilaritySignature` and `SimilarityBand` are derived data: `duplicates.index_submission`
rebuilds them from the submission's text at any time. `DuplicateCandidate` rows are the pairs
found; `DuplicateMark` rows are the secretariat's verdicts, kept for good (a re-index never
deletes a marked pair).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DuplicateCandidate",
    "DuplicateMark",
    "SimilarityBand",
    "SimilaritySentence",
    "SimilaritySignature",
]


class SimilaritySignature(models.Model):
    """A submission's MinHash signature (NUM_PERM little-endian uint32) and its shingle count."""

    submission = models.OneToOneField(
        "initiatives.Submission", on_delete=models.CASCADE, related_name="similarity_signature"
    )
    minhash = models.BinaryField()
    shingle_count = models.PositiveIntegerField()
    # The normalised text's hash: re-indexing an unchanged text changes nothing.
    text_hash = models.CharField(max_length=64)
    method = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("similarity signature")
        verbose_name_plural = _("similarity signatures")

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.method}"


class SimilarityBand(models.Model):
    """One LSH band key of a submission; submissions sharing a key are candidates."""

    submission = models.ForeignKey(
        "initiatives.Submission", on_delete=models.CASCADE, related_name="+"
    )
    key = models.BigIntegerField()

    class Meta:
        # Key first: the candidate lookup (key IN …) is answered from this index alone.
        constraints = [models.UniqueConstraint(fields=["key", "submission"], name="one_band_key")]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.key}"


class SimilaritySentence(models.Model):
    """One sentence of a submission, by key: a sentence in many submissions, of the index or of
    one call, is boilerplate. `call` is the submission's (kept here to count per call)."""

    submission = models.ForeignKey(
        "initiatives.Submission", on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey("initiatives.Call", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        # Key first: counting submissions per key (key IN …) is answered from this index alone.
        constraints = [
            models.UniqueConstraint(fields=["key", "submission"], name="one_sentence_key")
        ]
        # ... and counting them per call from this one.
        indexes = [models.Index(fields=["key", "call"], name="sentence_key_call")]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.key}"


class DuplicateCandidate(models.Model):
    """Two submissions (a has the smaller id) that may be the same initiative."""

    a = models.ForeignKey("initiatives.Submission", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey("initiatives.Submission", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("similarity"))
    jaccard = models.FloatField()
    containment = models.FloatField()
    method = models.CharField(max_length=40)
    found_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="one_candidate_per_pair"),
            models.CheckConstraint(condition=Q(a__lt=F("b")), name="candidate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["b"], name="duplicate_candidate_b")]

    def __str__(self) -> str:
        return f"{self.a_id} ≈ {self.b_id} ({self.score:.2f})"

    def other(self, submission_id: int) -> int:
        return self.b_id if submission_id == self.a_id else self.a_id


class DuplicateMark(models.Model):
    """An officer's verdict on a pair. Append-only: the latest mark is the pair's verdict."""

    class Verdict(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate")
        NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")

    candidate = models.ForeignKey(
        DuplicateCandidate, on_delete=models.PROTECT, related_name="marks"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("duplicate mark")
        verbose_name_plural = _("duplicate marks")

    def __str__(self) -> str:
        return f"{self.candidate} · {self.verdict}"
