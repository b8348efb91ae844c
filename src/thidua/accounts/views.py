from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from thidua.accounts import services
from thidua.accounts.context_processors import SESSION_UNIT_KEY
from thidua.accounts.forms import NotificationEmailsForm, TokenForm
from thidua.accounts.selectors import my_units, two_factor_required
from thidua.core import limits
from thidua.core.policy import can


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Many accounts tried from one address; axes locks one account from one address.
        try:
            limits.check_client(request, "login")
        except limits.Refused as refused:
            return limits.too_many_requests(request, refused)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Counted per client address and per email address (someone else's inbox), whether or
        # not an account has that address: the answer must not tell.
        try:
            limits.check_client(self.request, "password_reset")
            limits.check_value("password_reset_email", form.cleaned_data["email"])
        except limits.Refused as refused:
            return limits.too_many_requests(self.request, refused)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def _safe_next(request: HttpRequest, default: str = "/staff/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's account; a POST changes how they get notification e-mails."""
    form = NotificationEmailsForm(
        request.POST or None, initial={"notification_emails": request.user.notification_emails}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_notification_emails(
                request.user, user=request.user, choice=form.cleaned_data["notification_emails"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your preference is saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "notification_form": form,
            "has_device": user_has_device(request.user),
            "two_factor_required": two_factor_required(request.user),
            "viewable_units": {
                unit.pk
                for unit in my_units(request.user)
                if can(request.user, "org.view_unit", unit)
            },
        },
    )


TWO_FACTOR_KEY = "two_factor_setup_key"


def _setup_key(request: HttpRequest) -> str:
    """The secret shown on the setup page: an abandoned setup's device keeps its key, otherwise
    a new one waits in the session until the user sends a code (a GET writes no device)."""
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if pending is not None:
        return pending.key
    if not request.session.get(TWO_FACTOR_KEY):
        request.session[TWO_FACTOR_KEY] = random_hex(20)
    return request.session[TWO_FACTOR_KEY]


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new authenticator secret; confirm it with a code (on POST only is
    the device written)."""
    key = _setup_key(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_device(request.user, key=key)
        if device.verify_token(form.cleaned_data["token"]):
            services.confirm_two_factor(request.user, device=device)
            request.session.pop(TWO_FACTOR_KEY, None)
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:profile")
        form.add_error("token", _("That code is not right. Check your phone's clock and retry."))
    shown = TOTPDevice(user=request.user, name="default", key=key)
    qr_svg = segno.make(shown.config_url).svg_inline(scale=4)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": key},
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("That code is not right. Check your phone's clock and retry."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    """Choose which of my units the staff pages work in."""
    try:
        unit_id = int(request.POST.get("unit", ""))
    except ValueError:
        unit_id = None
    if unit_id not in {unit.pk for unit in my_units(request.user)}:
        messages.error(request, _("You hold no role on that unit."))
    else:
        request.session[SESSION_UNIT_KEY] = unit_id
    return redirect(_safe_next(request))
