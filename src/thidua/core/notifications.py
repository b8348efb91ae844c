"""Notify a user by email after the current transaction commits."""

from functools import partial
from typing import Any

from django.db import transaction

from thidua.core.tasks import send_notification_email


def notify(user: Any, *, template: str, context: dict[str, Any]) -> None:
    """Queue an email to `user`, rendered in their language; nothing if the write rolls back."""
    transaction.on_commit(
        partial(
            send_notification_email.enqueue, user_id=user.pk, template=template, context=context
        )
    )
