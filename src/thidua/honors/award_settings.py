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

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import can
from thidua.core.uploads import (
    IMAGE_TYPES,
    Upload,
    accept,
    delete_on_commit,
    files_removed_on_failure,
)
from thidua.honors.models import AwardRule, AwardType
from thidua.honors.services import rule_in_force
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


def configure_award_type(
    actor: Any,
    *,
    award_type: AwardType,
    emblem: Any = None,
    signature: Any = None,
    remove_emblem: bool = False,
    remove_signature: bool = False,
    public_notice_days: int | None = None,
    short_path: bool | None = None,
    short_path_days: int | None = None,
) -> AwardType:
    """Set the certificate images of an award type and the procedure of its rule in force."""
    if not can_edit_catalogue(actor):
        raise PermissionDenied(_("Only an administrator of the catalogue can do this."))
    images_in: dict[str, Upload] = {}
    for name, file in (("emblem", emblem), ("signature", signature)):
        if file:
            images_in[name] = accept(file, max_bytes=MAX_IMAGE_BYTES, types=IMAGE_TYPES, field=name)
    rule: AwardRule | None = None
    changes: dict[str, Any] = {}
    if public_notice_days is not None or short_path is not None or short_path_days is not None:
        rule = rule_in_force(award_type, timezone.localdate())
        if rule is None:
            raise ValidationError(_("No rule of this award is in force today."))
        if public_notice_days is not None:
            if not 0 <= public_notice_days <= MAX_NOTICE_DAYS:
                raise ValidationError(
                    {"public_notice_days": _("Between 0 and %(n)s days.") % {"n": MAX_NOTICE_DAYS}}
                )
            changes["public_notice_days"] = public_notice_days
        if short_path_days is not None:
            if not 1 <= short_path_days <= MAX_SHORT_PATH_DAYS:
                raise ValidationError(
                    {
                        "short_path_days": _("Between 1 and %(n)s working days.")
                        % {"n": MAX_SHORT_PATH_DAYS}
                    }
                )
            changes["short_path_days"] = short_path_days
        if short_path is not None:
            changes["short_path"] = bool(short_path)
    with files_removed_on_failure(), transaction.atomic():
        images = []
        for name, file, remove in (
            ("emblem", emblem, remove_emblem),
            ("signature", signature, remove_signature),
        ):
            old = getattr(award_type, name)
            if file:
                if old:
                    delete_on_commit(old)
                getattr(award_type, name).save(
                    images_in[name].file.name, images_in[name].file, save=False
                )
                images.append(name)
            elif remove and old:
                delete_on_commit(old)
                setattr(award_type, name, "")
                images.append(name)
        if images:
            award_type.save(update_fields=images)
        if rule is not None and changes:
            for key, value in changes.items():
                setattr(rule, key, value)
            rule.save(update_fields=list(changes))
        audit.record(
            actor,
            "honors.configure_award_type",
            award_type,
            {
                "images": images,
                "rule": rule.pk if rule is not None else None,
                **changes,
            },
        )
    return award_type
