from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "thidua.reports"
    verbose_name = _("Statistical reports")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.core.uploads import register_kind
        from thidua.reports import selectors
        from thidua.reports.work import work_items

        work.register(work_items)
        register_kind("stat-report-xlsx", selectors.xlsx_file_for_user)
        register_kind("stat-report-pdf", selectors.pdf_file_for_user)
