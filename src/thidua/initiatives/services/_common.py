"""What every writer of the initiatives services shares."""

from __future__ import annotations

from thidua.initiatives.models import (
    Submission,
)

S = Submission.Status
