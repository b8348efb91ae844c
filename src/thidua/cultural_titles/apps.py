from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CulturalTitlesConfig(AppConfig):
    name = "thidua.cultural_titles"
    label = "cultural_titles"
    verbose_name = _("Cultural titles")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.cultural_titles.work import work_items

        work.register(work_items)
