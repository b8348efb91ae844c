from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "thidua.honors"
    label = "honors"
    verbose_name = _("Commendation")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.honors.work import work_items

        work.register(work_items)
