from django.core.management.base import BaseCommand, CommandError

from thidua.core.actors import SystemActor
from thidua.org.imports import ImportFailed, import_units, read_table


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
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {file}") from error
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(failure.errors)} errors; nothing was imported.") from None
        verb = "would be imported" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{len(units)} units {verb}."))
