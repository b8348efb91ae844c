"""The codes of the check-in at the door.

- A session's door code: a signed token naming the session and its day. It opens the check-in
  page only on that day (a printed QR of Monday does not work on Tuesday, nor for another session).
- A learner's code: the enrolment's number and a short keyed hash ("1234-5k2m9q7t"), printed on
  their card or shown on their phone as a QR; short enough to type when no camera is at hand.
Both are checked with the site's secret key; neither is stored.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

DOOR_SALT = "thidua.training.door"
LEARNER_SALT = "thidua.training.learner"


class BadCode(Exception):
    """The code is not one of ours, or not for today."""


def door_token(session) -> str:
    # no timestamp: the same QR all day, whenever the page showing it was opened
    return signing.Signer(salt=DOOR_SALT).sign_object(
        {"s": session.pk, "d": session.held_on.isoformat()}
    )


def read_door_token(token: str, *, today: dt.date | None = None) -> int:
    """The session's id, if the token is ours and today is the session's day."""
    try:
        data = signing.Signer(salt=DOOR_SALT).unsign_object(token)
    except signing.BadSignature as error:
        raise BadCode("unknown") from error
    today = today or timezone.localdate()
    if data.get("d") != today.isoformat():
        raise BadCode("wrong_day")
    return int(data["s"])


def _learner_hash(pk: int) -> str:
    return salted_hmac(LEARNER_SALT, str(pk)).hexdigest()[:8]


def learner_code(enrolment) -> str:
    return f"{enrolment.pk}-{_learner_hash(enrolment.pk)}"


_LEARNER = re.compile(r"(\d+)-([0-9a-f]{8})")


def read_learner_code(text: str) -> int:
    """The enrolment's id from a typed or scanned learner code (a whole scanned address works
    too: the code is found inside it)."""
    found = _LEARNER.search((text or "").strip().lower())
    if not found or not constant_time_compare(found.group(2), _learner_hash(int(found.group(1)))):
        raise BadCode("unknown")
    return int(found.group(1))
