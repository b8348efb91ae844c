"""Tell a user something: an in-app notification now, an email after the transaction commits
(or, for those who chose it, in one daily digest).

Everything is rendered in the recipient's language, not the sender's.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from thidua.core.models import Notification
from thidua.core.tasks import send_notification_email


def notify(user: Any, *, template: str, context: dict[str, Any], link: str = "") -> Notification:
    """`template` names `<template>_subject.txt` (the in-app message) and `<template>_body.txt`.
    A user who chose the daily digest gets no e-mail now: `send_digests` collects it."""
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        message = render_to_string(f"{template}_subject.txt", context).strip()
    digest = bool(getattr(user, "wants_digest", False))
    notification = Notification.objects.create(
        user=user, message=message[:500], link=link, in_digest=digest
    )
    if not digest:
        transaction.on_commit(
            partial(
                send_notification_email.enqueue,
                user_id=user.pk,
                template=template,
                context=context,
            )
        )
    return notification


def notify_all(
    users: list[Any], *, template: str, context: dict[str, Any], link: str = "", actor: Any = None
) -> list[Notification]:
    """Notify each of `users` once, except the person who acted."""
    actor_pk = getattr(actor, "pk", None)
    seen: set[int] = set()
    sent = []
    for user in users:
        if user.pk == actor_pk or user.pk in seen:
            continue
        seen.add(user.pk)
        sent.append(notify(user, template=template, context=context, link=link))
    return sent


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: Any, *, pk: int | None = None) -> int:
    """Mark the user's unread notifications read (one of them with `pk`); only their own."""
    notifications = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        notifications = notifications.filter(pk=pk)
    return notifications.update(read_at=timezone.now())


def send_digests(*, dry_run: bool = False) -> int:
    """One e-mail per user listing the notifications that waited for their digest, in their
    language; those notifications then leave the digest (sending twice sends nothing). Returns
    how many e-mails were (or, with `dry_run`, would be) sent. Users without an address or no
    longer active are skipped and their waiting notifications cleared."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    waiting = Notification.objects.filter(in_digest=True).order_by("user_id", "created_at", "id")
    by_user: dict[int, list[Notification]] = {}
    for notification in waiting:
        by_user.setdefault(notification.user_id, []).append(notification)
    users = {u.pk: u for u in User.objects.filter(pk__in=list(by_user))}
    sent = 0
    for user_id, notifications in by_user.items():
        user = users.get(user_id)
        deliverable = user is not None and user.is_active and user.email
        if deliverable:
            sent += 1
        if dry_run:
            continue
        if deliverable:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                context = {
                    "user": user,
                    "notifications": notifications,
                    "site_url": settings.SITE_URL,
                }
                subject = render_to_string("core/email/digest_subject.txt", context).strip()
                body = render_to_string("core/email/digest_body.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(in_digest=False)
    return sent
