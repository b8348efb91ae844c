from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "thidua.clusters"
    verbose_name = _("Emulation clusters and blocks")

    def ready(self) -> None:
        from thidua.clusters import selectors
        from thidua.clusters.work import work_items
        from thidua.core import work
        from thidua.core.uploads import register_kind

        work.register(work_items)
        register_kind("cluster-evidence", selectors.evidence_file_for_user)
