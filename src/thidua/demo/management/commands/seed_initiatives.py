"""Load the demo initiatives of Thành phố Hà Nội (after `seed_demo`). Idempotent."""

from django.core.management.base import BaseCommand

from thidua.demo.initiatives import seed


class Command(BaseCommand):
    help = (
        "Create Hà Nội's evaluation council of nine, the 2024 call with 512 submissions (screened, "
        "reviewed, voted on; 119 recognised by decision 245/QĐ-MTTQ-BTT) and a call open today "
        "with ten submissions at every stage. A council or call that exists is left as it is."
    )

    def handle(self, *args, **options):
        seed(stdout=self.stdout)
