from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "thidua.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.surveys.work import work_items

        work.register(work_items)
