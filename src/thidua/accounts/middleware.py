"""Send users who must use (or have set up) two-factor authentication through it after login."""

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from thidua.accounts.selectors import two_factor_required

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/")


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
            if user_has_device(user):
                return redirect(f"{reverse('accounts:two_factor_verify')}?next={request.path}")
            if two_factor_required(user):
                return redirect(reverse("accounts:two_factor_setup"))
        return self.get_response(request)
