"""The domain objects a story may tell about (an exemplar, a practice, a recognised initiative,
a movement, a fund drive, an honour), found through their apps' own selectors (the
layer rule: another app's selectors, never its models). A link is checked when it is made: the
object must exist and be public (an honour: in the writer's part of the tree)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.honors import selectors as honors
from thidua.initiatives import selectors as initiatives
from thidua.mobilization import selectors as mobilization
from thidua.movements import selectors as movements
from thidua.practices import selectors as practices
from thidua.publishing.models import LinkKind


def resolve(actor: Any, kind: str, object_id: int) -> tuple[str, str]:
    """(label, public address) of the object, or a translated ValidationError."""
    found: tuple[str, str] | None = None
    if kind == LinkKind.EXEMPLAR:
        exemplar = practices.public_exemplars().filter(pk=object_id).first()
        if exemplar is not None:
            found = (
                exemplar.name,
                reverse("public_practices:exemplar_detail", args=[exemplar.pk]),
            )
    elif kind == LinkKind.PRACTICE:
        practice = practices.public_practices().filter(pk=object_id).first()
        if practice is not None:
            found = (
                practice.title,
                reverse("public_practices:practice_detail", args=[practice.pk]),
            )
    elif kind == LinkKind.INITIATIVE:
        submission = initiatives.recognised_submission(object_id)
        if submission is not None:
            found = (submission.title, reverse("public_initiatives:recognised"))
    elif kind == LinkKind.MOVEMENT:
        movement = movements.public_movements().filter(pk=object_id).first()
        if movement is not None:
            found = (
                movement.title,
                reverse("public_movements:public_detail", args=[movement.slug]),
            )
    elif kind == LinkKind.DRIVE:
        # every fund's page is public, with its drives; the writer must see the drive
        drive = mobilization.visible_drives(actor).filter(pk=object_id).first()
        if drive is not None:
            found = (
                f"{drive.title} – {drive.fund.name}",
                reverse("public_mobilization:fund", args=[drive.fund_id]),
            )
    elif kind == LinkKind.HONOUR:
        honour = honors.registry(actor).filter(pk=object_id).first()
        if honour is not None:
            found = (f"{honour.award_type} – {honour.recipient_name}", "")
    if found is None:
        raise ValidationError({"links": _("The linked record cannot be found or is not public.")})
    return found
