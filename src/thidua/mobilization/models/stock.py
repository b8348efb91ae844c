"""Relief goods: a warehouse per unit; stock in from receipts, stock out, never below zero."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.mobilization.models.ledger import Receipt
from thidua.org.models import Unit


class StockItem(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stock_items")
    name = models.CharField(_("item"), max_length=200)
    measure = models.CharField(_("unit of measure"), max_length=40)
    on_hand = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "measure"], name="mobilization_stock_item_once"
            ),
            models.CheckConstraint(
                condition=models.Q(on_hand__gte=0), name="mobilization_stock_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.measure})"


class StockMove(models.Model):
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="moves")
    quantity = models.DecimalField(max_digits=14, decimal_places=2)  # + in, − out
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="stock_moves", null=True, blank=True
    )
    recipient = models.CharField(_("given to"), max_length=200, blank=True)
    moved_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}"
