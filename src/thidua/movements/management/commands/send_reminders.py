import datetime as dt

from django.core.management.base import BaseCommand

from thidua.core.actors import SystemActor
from thidua.movements.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send the day's reminders for reports falling due (run daily). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="pretend today is DATE")

    def handle(self, *args, date=None, **options):
        sent = send_due_reminders(SystemActor("send_reminders"), on=date)
        self.stdout.write(f"{sent} reminders sent.")
