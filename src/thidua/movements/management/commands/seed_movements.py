"""Load the six demo movements of Thành phố Hà Nội (after `seed_demo`). Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from thidua.movements.demo import DemoDataMissing, seed_movements


class Command(BaseCommand):
    help = (
        "Create the six movements of the source document, launched by Thành phố Hà Nội, with "
        "registrations, congress works and reports of a sample of wards (2024 tree and today's). "
        "Movements that exist are left as they are."
    )

    def handle(self, *args, **options):
        try:
            seed_movements(stdout=self.stdout)
        except DemoDataMissing as error:
            raise CommandError(str(error)) from error
