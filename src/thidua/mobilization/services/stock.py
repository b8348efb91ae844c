"""The warehouse of a unit: stock in from an in-kind receipt, stock out to a beneficiary or a
unit; the stock never goes below zero (checked under a row lock, and by a constraint)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.mobilization.models import Receipt, StockItem, StockMove
from thidua.mobilization.services.money import parse_quantity
from thidua.org.models import Unit


def stock_in(actor: Any, *, unit: Unit, receipt: Receipt) -> StockMove:
    require(actor, "mobilization.record", unit)
    if receipt.kind != Receipt.Kind.IN_KIND or receipt.status != Receipt.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed in-kind receipt goes into the warehouse."))
    if receipt.stock_moves.exists():
        raise ValidationError(_("This receipt is already in the warehouse."))
    with transaction.atomic():
        item, _created = StockItem.objects.get_or_create(
            unit=unit, name=receipt.item, measure=receipt.measure or "-"
        )
        StockItem.objects.filter(pk=item.pk).update(on_hand=F("on_hand") + receipt.quantity)
        move = StockMove.objects.create(
            item=item,
            quantity=receipt.quantity,
            receipt=receipt,
            moved_on=timezone.localdate(),
            recorded_by=actor,
        )
        audit.record(actor, "mobilization.stock_in", item, data={"receipt": receipt.number})
    return move


def stock_out(
    actor: Any,
    *,
    item: StockItem,
    quantity: Any,
    recipient: str,
    moved_on: dt.date | None = None,
) -> StockMove:
    require(actor, "mobilization.record", item.unit)
    amount = parse_quantity(quantity, label=_("Quantity"))
    if amount <= 0:
        raise ValidationError({"quantity": [_("Give the quantity handed out.")]})
    if not recipient.strip():
        raise ValidationError({"recipient": [_("Say who received the goods.")]})
    with transaction.atomic():
        locked = StockItem.objects.select_for_update().get(pk=item.pk)
        if locked.on_hand < amount:
            raise ValidationError(
                {
                    "quantity": [
                        _("Only %(left)s %(measure)s left in the warehouse.")
                        % {"left": locked.on_hand.normalize(), "measure": locked.measure}
                    ]
                }
            )
        StockItem.objects.filter(pk=item.pk).update(on_hand=F("on_hand") - amount)
        move = StockMove.objects.create(
            item=item,
            quantity=-Decimal(amount),
            recipient=recipient.strip(),
            moved_on=moved_on or timezone.localdate(),
            recorded_by=actor,
        )
        audit.record(actor, "mobilization.stock_out", item, data={"quantity": str(amount)})
    return move
