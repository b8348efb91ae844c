from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "thidua.movements"
    label = "movements"
    verbose_name = _("Emulation movements")

    def ready(self) -> None:
        # Private files of this app, served by core:file after these checks.
        from thidua.core.uploads import register_kind
        from thidua.movements import selectors

        register_kind("evidence", selectors.evidence_file_for_user)
        register_kind("report-attachment", selectors.report_attachment_file_for_user)

        from thidua.core import reminders, work
        from thidua.movements.services.reminders import send_due_reminders
        from thidua.movements.work import work_items

        work.register(work_items)
        reminders.register("movements.reports", send_due_reminders)
