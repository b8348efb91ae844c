"""Load the commendation demo (after `seed_demo`): the annual 2024 round of Hà Nội, an ad hoc
award for a good deed and a thematic round tied to a movement. Idempotent."""

from django.core.management.base import BaseCommand

from thidua.demo.honors import seed


class Command(BaseCommand):
    help = (
        "Create the annual 2024 commendation round of Hà Nội (nominations from the 2024 wards "
        "travelling up, a council vote, a decision, certificates), an ad hoc award for a good "
        "deed and a thematic round of a movement with nominations in progress. Rounds that "
        "exist are left as they are."
    )

    def handle(self, *args, **options):
        seed(stdout=self.stdout)
