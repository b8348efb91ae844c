import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory
from thidua.accounts import services
from thidua.accounts.models import RoleGrant, TwoFactorPolicy
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_administrator_grants_role_audited_and_notified_in_recipients_language(
    tree, admin_user, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(username="newcomer", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        grant = services.grant_role(admin_user, user=newcomer, role="officer", unit=tree["bo_de"])
    assert grant.valid_from == timezone.localdate()
    event = AuditEvent.objects.get(verb="accounts.grant_role")
    assert event.unit == tree["bo_de"] and event.actor == admin_user
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.org"]
    assert "Unit officer" in mail.outbox[0].body
    assert "Phường Bồ Đề" in mail.outbox[0].body


def test_email_is_rendered_in_vietnamese_for_a_vietnamese_user(
    tree, admin_user, django_capture_on_commit_callbacks
):
    user = UserFactory(username="vi-user", language="vi")
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_role(admin_user, user=user, role="leader", unit=tree["bo_de"])
    assert "Lãnh đạo đơn vị" in mail.outbox[0].body


def test_officer_cannot_grant_roles_and_nothing_is_written(tree, officer):
    target = UserFactory(username="someone")
    with pytest.raises(PermissionDenied):
        services.grant_role(officer, user=target, role="officer", unit=tree["bo_de"])
    assert not RoleGrant.objects.filter(user=target).exists()
    assert not AuditEvent.objects.exists()


def test_administrator_of_one_district_cannot_grant_in_another(tree):

    lb_admin = UserFactory(username="lb-admin", roles=[("administrator", tree["long_bien"])])
    with pytest.raises(PermissionDenied):
        services.grant_role(
            lb_admin, user=UserFactory(username="x"), role="officer", unit=tree["quang_an"]
        )


def test_invalid_dates_are_rejected_and_nothing_written(tree, admin_user):
    target = UserFactory(username="dates")
    with pytest.raises(ValidationError):
        services.grant_role(
            admin_user,
            user=target,
            role="officer",
            unit=tree["bo_de"],
            valid_from=dt.date(2026, 5, 1),
            valid_to=dt.date(2026, 4, 1),
        )
    with pytest.raises(ValidationError):
        services.grant_role(admin_user, user=target, role="pope", unit=tree["bo_de"])
    assert not RoleGrant.objects.filter(user=target).exists()


def test_end_grant_stops_access_from_today(tree, admin_user):
    from thidua.core.policy import can

    user = UserFactory(username="leaving")
    grant = services.grant_role(
        admin_user, user=user, role="officer", unit=tree["bo_de"], valid_from=dt.date(2024, 1, 1)
    )
    services.end_grant(admin_user, grant=grant)
    user = type(user).objects.get(pk=user.pk)
    assert not can(user, "unit.enter_data", tree["bo_de"])


def test_two_factor_policy_only_by_administrators(tree, admin_user, officer):
    with pytest.raises(PermissionDenied):
        services.set_two_factor_policy(officer, role="officer", required=True)
    assert not TwoFactorPolicy.objects.exists()
    services.set_two_factor_policy(admin_user, role="officer", required=True)
    assert TwoFactorPolicy.objects.get(role="officer").required
