from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "thidua.practices"
    label = "practices"
    verbose_name = _("Exemplary practices")
