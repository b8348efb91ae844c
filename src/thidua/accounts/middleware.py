"""Send users who must use (or have set up) two-factor authentication through it after login."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import user_has_device

from thidua.accounts.selectors import two_factor_required
from thidua.core import versioned
from thidua.core.policy import GRANT_KINDS

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/")


def two_factor_step(user) -> tuple[bool, bool]:
    """(has a confirmed device, must set one up), read once per user and day until a device, a
    grant or the policy changes (`core.versioned` under `accounts`: the services' audit events
    and `accounts.apps`' signals on every save or delete of the three move it on)."""
    if not settings.CACHE_GRANTS:
        return user_has_device(user), two_factor_required(user)
    return tuple(
        versioned.cached(
            "accounts.two_factor_step",
            [user.pk, user.is_superuser, timezone.localdate()],
            kinds=GRANT_KINDS,
            compute=lambda: (user_has_device(user), two_factor_required(user)),
        )
    )


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            has_device, required = two_factor_step(user)
            if has_device:
                return redirect(f"{reverse('accounts:two_factor_verify')}?next={request.path}")
            if required:
                return redirect(reverse("accounts:two_factor_setup"))
        return self.get_response(request)
