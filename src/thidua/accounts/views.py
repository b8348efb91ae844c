from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts import services as account_services
from thidua.accounts.context_processors import SESSION_UNIT_KEY
from thidua.accounts.forms import NotificationEmailsForm, TokenForm
from thidua.accounts.selectors import my_units, two_factor_required
from thidua.core import audit
from thidua.core.policy import can


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


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
            account_services.set_notification_emails(
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


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Create (or reuse) an unconfirmed TOTP device, show its QR code, confirm it with a code."""
    import segno

    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.record(request.user, "accounts.enable_two_factor", request.user)
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:profile")
        form.add_error("token", _("That code is not right. Check your phone's clock and retry."))
    qr_svg = segno.make(device.config_url).svg_inline(scale=4)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": device.key, "device": device},
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
