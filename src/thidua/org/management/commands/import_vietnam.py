from django.core.management.base import BaseCommand, CommandError

from thidua.core.actors import SystemActor
from thidua.org.services.vietnam_import import import_vietnam


class Command(BaseCommand):
    help = (
        "Import Vietnam's legacy administrative tree (2024-01-01) and apply the 2025 reform "
        "(2025-07-01), for one province or the whole country. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="code or name, e.g. 01, hanoi, 'Hà Nội'")
        parser.add_argument("--show-issues", action="store_true", help="list every data issue")

    def handle(self, *args, province=None, show_issues=False, **options):
        try:
            summary = import_vietnam(SystemActor("import_vietnam"), province=province)
        except ValueError as error:
            raise CommandError(str(error)) from error
        out = self.stdout
        if summary.skipped:
            out.write(f"Already imported, unchanged: {', '.join(summary.skipped)}")
        out.write(
            f"Legacy (2024-01-01): {summary.legacy_provinces} provinces, "
            f"{summary.legacy_districts} districts, {summary.legacy_wards} wards/communes.\n"
            f"Current (2025-07-01): {summary.current_provinces} provinces, "
            f"{summary.current_wards} wards/communes; {summary.lineage_rows} lineage rows.\n"
            f"Data issues handled: {len(summary.issues)}"
        )
        if show_issues:
            for issue in summary.issues:
                out.write(f"  {issue}")
