"""Background tasks of the shared kernel. Tasks take ids and are idempotent (at-least-once)."""

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_notification_email(*, user_id: int, template: str, context: dict) -> bool:
    """Render a notification in the recipient's language and send it. False if nobody to send to."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", {**context, "user": user})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


@task()
def send_email_to_address(*, address: str, language: str, template: str, context: dict) -> bool:
    """For people without an account (applicants): the same rendering, to an address."""
    if not address:
        return False
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True
