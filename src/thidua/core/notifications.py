"""Tell a user something: an in-app notification now, an email after the transaction commits.

Both are rendered in the recipient's language, not the sender's.
"""

from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from thidua.core.models import Notification
from thidua.core.tasks import send_notification_email


def notify(user: Any, *, template: str, context: dict[str, Any], link: str = "") -> Notification:
    """`template` names `<template>_subject.txt` (the in-app message) and `<template>_body.txt`."""
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        message = render_to_string(f"{template}_subject.txt", context).strip()
    notification = Notification.objects.create(user=user, message=message[:500], link=link)
    transaction.on_commit(
        partial(
            send_notification_email.enqueue, user_id=user.pk, template=template, context=context
        )
    )
    return notification
