from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.initiatives import assignment
        from thidua.initiatives.work import work_items

        assignment.register()  # services.ASSIGNERS: optimal, fair, optimal_outside, fair_outside
        work.register(work_items)
