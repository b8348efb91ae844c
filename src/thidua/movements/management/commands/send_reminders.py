import datetime as dt

from django.core.management.base import BaseCommand

from thidua.core.actors import SystemActor
from thidua.initiatives.services.reminders import send_review_reminders
from thidua.movements.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the day's reminders (run daily): reports falling due in movements and reviews "
        "due in calls for initiatives. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="pretend today is DATE")

    def handle(self, *args, date=None, **options):
        actor = SystemActor("send_reminders")
        reports = send_due_reminders(actor, on=date)
        reviews = send_review_reminders(actor, on=date)
        self.stdout.write(f"{reports} report reminders and {reviews} review reminders sent.")
