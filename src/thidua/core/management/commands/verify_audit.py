from django.core.management.base import BaseCommand, CommandError

from thidua.core.audit import verify_chain


class Command(BaseCommand):
    help = "Walk the audit chain and name the first broken link."

    def handle(self, *args, **options):
        count, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event #{broken.event_id}: {broken.reason} "
                f"({count} events read)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
