from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "thidua.training"
    verbose_name = _("Officers' training")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.training.work import work_items

        work.register(work_items)
