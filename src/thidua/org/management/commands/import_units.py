from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.core.actors import SystemActor
from thidua.org.imports import ImportFailed, read_table
from thidua.org.services.imports import import_units


class Command(BaseCommand):
    help = (
        "Import units from CSV or XLSX (code, name, kind, parent_code, valid_from[, valid_to, "
        "households, population, latitude, longitude]). All rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate only")

    def handle(self, *args, file, dry_run=False, **options):
        try:
            rows = read_table(file)
            units = import_units(SystemActor("import_units"), rows=rows, dry_run=dry_run)
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            raise CommandError(_("Cannot read the file %(file)s.") % {"file": file}) from None
        except ImportFailed as failure:
            for error in failure.errors:
                # a problem with the whole file has no row: say it plainly
                self.stderr.write(error.message if error.row == 0 else str(error))
            raise CommandError(
                _("%(count)s errors; nothing was imported.") % {"count": len(failure.errors)}
            ) from None
        message = (
            _("%(count)s units would be imported.") if dry_run else _("%(count)s units imported.")
        )
        self.stdout.write(self.style.SUCCESS(message % {"count": len(units)}))
