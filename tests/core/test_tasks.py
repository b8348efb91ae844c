import pytest
from django.core import mail

from tests.factories import UserFactory
from thidua.core.notifications import notify
from thidua.core.tasks import send_notification_email

pytestmark = pytest.mark.django_db


def test_notification_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(username="notified", language="id")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            user,
            template="accounts/email/role_granted",
            context={"role": "officer", "unit_name": "RT 01", "valid_from": "2026-01-01"},
        )
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert "RT 01" in mail.outbox[0].body


def test_task_skips_users_without_email():
    user = UserFactory(username="no-mail", email="")
    result = send_notification_email.enqueue(
        user_id=user.pk,
        template="accounts/email/role_granted",
        context={"role": "officer", "unit_name": "X", "valid_from": "2026-01-01"},
    )
    assert result.return_value is False
    assert mail.outbox == []
