"""Load the demo initiatives of Thành phố Hà Nội (after `seed_demo`). Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from thidua.initiatives.demo import DemoDataMissing, seed_initiatives


class Command(BaseCommand):
    help = (
        "Create Hà Nội's evaluation council of nine, the 2024 call with 512 submissions (screened, "
        "reviewed, voted on; 119 recognised by decision 245/QĐ-MTTQ-BTT) and a call open today "
        "with ten submissions at every stage. A council or call that exists is left as it is."
    )

    def handle(self, *args, **options):
        try:
            seed_initiatives(stdout=self.stdout)
        except DemoDataMissing as error:
            raise CommandError(str(error)) from error
