from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "thidua.practices"
    label = "practices"
    verbose_name = _("Exemplary practices")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.practices.work import work_items

        work.register(work_items)
