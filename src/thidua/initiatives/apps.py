from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "thidua.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from thidua.core import reminders, work
        from thidua.core.uploads import register_kind
        from thidua.initiatives import selectors
        from thidua.initiatives.services import send_review_reminders
        from thidua.initiatives.work import work_items

        register_kind("initiative-attachment", selectors.attachment_file_for_user)
        work.register(work_items)
        reminders.register("initiatives.reviews", send_review_reminders)
