from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilizationConfig(AppConfig):
    name = "thidua.mobilization"
    label = "mobilization"
    verbose_name = _("Social resources")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.core.uploads import register_kind
        from thidua.mobilization import selectors
        from thidua.mobilization.work import work_items

        work.register(work_items)
        register_kind("support-photo", selectors.support_photo_file_for_user)
