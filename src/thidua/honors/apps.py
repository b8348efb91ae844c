from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "thidua.honors"
    label = "honors"
    verbose_name = _("Commendation")

    def ready(self) -> None:
        # Private files of this app, served by core:file after these checks.
        from thidua.core.uploads import register_kind
        from thidua.honors import selectors

        register_kind("nomination-document", selectors.nomination_document_file_for_user)

        from thidua.core import work
        from thidua.honors.work import work_items

        work.register(work_items)
