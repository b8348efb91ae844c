"""Load the six demo movements of Thành phố Hà Nội (after `seed_demo`). Idempotent."""

from django.core.management.base import BaseCommand

from thidua.demo.movements import seed


class Command(BaseCommand):
    help = (
        "Create the six movements of the source document, launched by Thành phố Hà Nội, with "
        "registrations, congress works and reports of a sample of wards (2024 tree and today's). "
        "Movements that exist are left as they are."
    )

    def handle(self, *args, **options):
        seed(stdout=self.stdout)
