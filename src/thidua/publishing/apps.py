from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "thidua.publishing"
    label = "publishing"
    verbose_name = _("Portal and bulletin")

    def ready(self) -> None:
        from thidua.core import work
        from thidua.core.uploads import register_kind
        from thidua.publishing import selectors
        from thidua.publishing.work import work_items

        work.register(work_items)
        register_kind("bulletin-pdf", selectors.issue_pdf_for_user)
