from django.core.management.base import BaseCommand

from thidua.core.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Send the daily digest: one e-mail per user who chose it, listing their notifications "
        "since the last digest. Run daily (cron or a systemd timer); idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        sent = send_digests(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(f"Digest: {verb} {sent} e-mail(s)."))
