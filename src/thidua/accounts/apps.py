from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _grants_changed(**kwargs) -> None:
    """What is cached from grants, devices and the two-factor policy (a user's grants, their
    two-factor step, their menu: `core.versioned` under `accounts`) is stale. The services
    already say so through their audit events; this catches every other path (the admin's
    device pages, fixtures, tests' factories). Cache invalidation, not business logic."""
    from thidua.core import public_cache

    public_cache.changed("accounts")


class AccountsConfig(AppConfig):
    name = "thidua.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from thidua.accounts.models import RoleGrant, TwoFactorPolicy

        for model in (RoleGrant, TwoFactorPolicy, TOTPDevice):
            post_save.connect(
                _grants_changed, sender=model, dispatch_uid=f"grants-{model.__name__}"
            )
            post_delete.connect(
                _grants_changed, sender=model, dispatch_uid=f"grants-{model.__name__}-deleted"
            )
