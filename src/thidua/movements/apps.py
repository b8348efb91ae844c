from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "thidua.movements"
    label = "movements"
    verbose_name = _("Emulation movements")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.movements.work import work_items

        work.register(work_items)
