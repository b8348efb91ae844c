"""Roles a user can hold on a unit (and therefore on its whole subtree)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    OFFICER = "officer", _("Unit officer")
    LEADER = "leader", _("Unit leader")
    EDITOR = "editor", _("Editor")
    COUNCIL_MEMBER = "council_member", _("Council member")
    CITIZEN = "citizen", _("Citizen")
