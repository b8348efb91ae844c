"""Load Long Biên's 37 demo practices and the exemplars (after `seed_demo`). Idempotent."""

from django.core.management.base import BaseCommand

from thidua.demo.practices import seed


class Command(BaseCommand):
    help = (
        "Create Long Biên's 37 practices in two field groups on the wards and residential groups "
        "that carry old Quận Long Biên today, at every stage, with replications across Hà Nội, "
        "and exemplars with their stories. Practices and exemplars that exist are left as they "
        "are."
    )

    def handle(self, *args, **options):
        seed(stdout=self.stdout)
