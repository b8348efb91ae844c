from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the media and private files (tar) "
        "into a new folder, with a manifest of checksums and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a folder that does not exist yet")

    def handle(self, *args, destination, **options):
        try:
            manifest = backup(destination)
        except (BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        tables = len(manifest["database"]["rows"])
        files = len(manifest["files"].get("contents", {}))
        self.stdout.write(
            self.style.SUCCESS(f"Backup in {destination}: {tables} tables, {files} files.")
        )
