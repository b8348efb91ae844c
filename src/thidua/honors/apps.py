from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "thidua.honors"
    label = "honors"
    verbose_name = _("Commendation")

    def ready(self) -> None:
        # Private files of this app, served by core:file after these checks.
        from thidua.core.uploads import register_kind
        from thidua.honors import selectors, upward_selectors

        register_kind("nomination-document", selectors.nomination_document_file_for_user)
        register_kind("upward-document", upward_selectors.upward_document_file_for_user)
        register_kind("outside-decision", upward_selectors.outside_decision_file_for_user)

        from thidua.core import reminders, work
        from thidua.honors import upward_work
        from thidua.honors.services.upward import send_follow_up_reminders
        from thidua.honors.work import work_items

        work.register(work_items)
        work.register(upward_work.work_items)
        reminders.register("honors.upward_follow_ups", send_follow_up_reminders)
