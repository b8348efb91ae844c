from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thidua.core.roles import Role
from thidua.core.text import clean_name


class User(AbstractUser):
    class NotificationEmails(models.TextChoices):
        EACH = "each", _("One e-mail for each notification")
        DAILY = "daily", _("One daily digest")

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    notification_emails = models.CharField(
        _("notification e-mails"),
        max_length=10,
        choices=NotificationEmails.choices,
        default=NotificationEmails.EACH,
    )

    @property
    def wants_digest(self) -> bool:
        return self.notification_emails == self.NotificationEmails.DAILY

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def clean(self) -> None:
        super().clean()
        self.full_name = clean_name(self.full_name)

    def save(self, *args, **kwargs) -> None:
        # Whoever sets the name (the admin, a command, the demo): no invisible characters.
        self.full_name = clean_name(self.full_name)
        super().save(*args, **kwargs)


class RoleGrant(models.Model):
    """A role on a unit, covering its whole subtree, valid between two dates (inclusive)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("unit")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "role"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="accounts_grant_valid_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class TwoFactorPolicy(models.Model):
    """Administrators decide which roles must use two-factor authentication."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, unique=True)
    required = models.BooleanField(_("two-factor required"), default=False)

    class Meta:
        verbose_name = _("two-factor policy")
        verbose_name_plural = _("two-factor policies")

    def __str__(self) -> str:
        return self.get_role_display()
