from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "thidua.practices"
    label = "practices"
    verbose_name = _("Exemplary practices")

    def ready(self) -> None:
        # Private files of this app, served by core:file after these checks.
        from thidua.core.uploads import register_kind
        from thidua.practices import selectors

        register_kind("practice-evidence", selectors.stage_evidence_file_for_user)
        register_kind("exemplar-photo", selectors.exemplar_photo_for_user)

        from thidua.core import work
        from thidua.practices.work import work_items

        work.register(work_items)
