"""Writes for calls for initiatives: drafting, opening and closing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.initiatives.models import (
    AwardLevel,
    Call,
    Council,
    Criterion,
)
from thidua.org.models import Unit

# The Vietnamese conditions for recognising an initiative, plus its reach (editable per call).
DEFAULT_CRITERIA = [
    (
        "Tính mới trong phạm vi đơn vị",
        "Chưa được đăng ký, công bố hay áp dụng trước đó tại đơn vị; không phải là giải pháp "
        "đã bắt buộc áp dụng.",
        Decimal("3"),
        10,
    ),
    ("Khả năng áp dụng", "Đã được áp dụng hoặc áp dụng thử có kết quả.", Decimal("2"), 10),
    (
        "Lợi ích kinh tế – xã hội",
        "Mang lại hiệu quả kinh tế hoặc lợi ích xã hội.",
        Decimal("3"),
        10,
    ),
    ("Phạm vi ảnh hưởng", "Khả năng nhân rộng ra các đơn vị khác.", Decimal("2"), 10),
]


def create_call(
    actor: Any,
    *,
    owner_unit: Unit,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    description: str = "",
    council: Council | None = None,
    fields: list[Any] | None = None,
    criteria: list[tuple[str, str, Decimal, int]] | None = None,
    award_levels: list[tuple[str, Decimal]] | None = None,
    **options: Any,
) -> Call:
    require(actor, "initiatives.manage", owner_unit)
    base = slugify(unidecode(title))[:60] or "call"
    slug, n = base, 2
    while Call.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    call = Call(
        owner_unit=owner_unit,
        title=clean_name(title),
        slug=slug,
        opens_on=opens_on,
        closes_on=closes_on,
        description=description,
        council=council,
        **options,
    )
    call.full_clean()
    with transaction.atomic():
        call.save()
        if fields:
            call.fields.set(fields)
        for order, (name, guidance, weight, max_score) in enumerate(
            criteria if criteria is not None else DEFAULT_CRITERIA
        ):
            Criterion.objects.create(
                call=call,
                name=name,
                guidance=guidance,
                weight=weight,
                max_score=max_score,
                order=order,
            )
        for order, (name, prize) in enumerate(award_levels or []):
            AwardLevel.objects.create(call=call, name=name, prize=prize, order=order)
        audit.record(actor, "initiatives.create_call", call, {"title": call.title})
    return call


def set_call_status(actor: Any, *, call: Call, status: str) -> Call:
    """draft → open → closed (decided is reached by the decision)."""
    require(actor, "initiatives.manage", call.owner_unit)
    allowed = {Call.Status.DRAFT: Call.Status.OPEN, Call.Status.OPEN: Call.Status.CLOSED}
    if allowed.get(call.status) != status:
        raise ValidationError(_("This call cannot move to that status."))
    if status == Call.Status.OPEN and call.council is None:
        raise ValidationError(_("Choose the council before opening the call."))
    with transaction.atomic():
        call.status = status
        call.save(update_fields=["status"])
        audit.record(actor, "initiatives.set_call_status", call, {"status": status})
    return call
