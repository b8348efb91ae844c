"""Settings of an award type that administrators change from the catalogue page: the emblem
and signature images printed on its certificates, and the procedure of its rule in force (days
of public notice, the short path of ad hoc awards).

Rules enforced here:
- only an administrator of a top-level unit (the catalogue is shared by the whole tree) or a
  superuser changes them;
- an image is a PNG, JPEG or WebP of at most 2 MB, checked by content; anything else is refused
  and nothing is written; it is stored under a generated name (the emblem in the public storage,
  the signature in the private one), and the image it replaces or removes is deleted from the
  storage once the change is committed;
- the procedure edits the rule version in force today; earlier versions stay as they were, so a
  nomination is still judged by the rule of its date.
"""

from __future__ import annotations

from typing import Any

from thidua.core.policy import can
from thidua.org.models import Unit

MAX_IMAGE_BYTES = 2 * 1024 * 1024


MAX_NOTICE_DAYS = 60


MAX_SHORT_PATH_DAYS = 60


def can_edit_catalogue(user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "pk", None):
        return False
    roots = Unit.objects.filter(parent__isnull=True, valid_to__isnull=True)
    return any(can(user, "honors.configure_awards", root) for root in roots)
