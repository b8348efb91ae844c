from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from thidua.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a folder made by `backup` onto an empty database and empty media folders: "
        "checksums first, then pg_restore, the files, the row counts and the audit chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)

    def handle(self, *args, source, **options):
        try:
            manifest = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = len(manifest["database"]["rows"])
        files = len(manifest["files"].get("contents", {}))
        self.stdout.write(f"Restored {tables} tables and {files} files from {source}.")
        call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
