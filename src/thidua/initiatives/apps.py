from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from thidua.initiatives import assignment

        assignment.register()  # services.ASSIGNERS: optimal, fair, optimal_outside, fair_outside
