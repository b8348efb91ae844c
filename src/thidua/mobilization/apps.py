from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilizationConfig(AppConfig):
    name = "thidua.mobilization"
    label = "mobilization"
    verbose_name = _("Social resources")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.mobilization.work import work_items

        work.register(work_items)
