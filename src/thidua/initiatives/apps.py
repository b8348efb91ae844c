from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.core.uploads import register_kind
        from thidua.initiatives import assignment, selectors
        from thidua.initiatives.work import work_items

        assignment.register()  # services.ASSIGNERS: optimal, fair, optimal_outside, fair_outside
        register_kind("initiative-attachment", selectors.attachment_file_for_user)
        work.register(work_items)
