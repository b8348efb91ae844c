"""Rebuild the roll-up table of accepted values (`IndicatorTotal`) from the reports."""

from django.core.management.base import BaseCommand, CommandError

from thidua.core.actors import SystemActor
from thidua.movements.models import Movement
from thidua.movements.services.totals import rebuild_totals
from thidua.movements.totals import compare_totals


class Command(BaseCommand):
    help = (
        "Recompute the roll-up rows of accepted report values of every movement (or of "
        "--movement ID) from the reports, and say how many rows were out of step. "
        "With --dry-run, only count them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--movement", type=int, help="only this movement (id)")
        parser.add_argument("--dry-run", action="store_true", help="compare only, write nothing")

    def handle(self, *args, movement=None, dry_run=False, **options):
        movements = Movement.objects.select_related("owner_unit").order_by("pk")
        if movement is not None:
            movements = movements.filter(pk=movement)
            if not movements.exists():
                raise CommandError(f"No movement {movement}.")
        actor = SystemActor("rebuild_indicator_totals")
        out_of_step = 0
        for item in movements:
            differing = compare_totals(item) if dry_run else rebuild_totals(actor, movement=item)
            out_of_step += differing
            self.stdout.write(f"{item.pk} {item.title}: {differing} rows out of step")
        verb = "would be rewritten" if dry_run else "rewritten"
        self.stdout.write(f"{out_of_step} rows out of step {verb}.")
