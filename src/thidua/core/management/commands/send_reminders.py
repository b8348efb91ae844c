import datetime as dt

from django.core.management.base import BaseCommand

from thidua.core import reminders
from thidua.core.actors import SystemActor


class Command(BaseCommand):
    help = (
        "Send the day's reminders from every app (run daily): reports falling due in movements, "
        "reviews due in calls for initiatives, and whatever else an app registers in "
        "thidua.core.reminders. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, help="pretend today is DATE")

    def handle(self, *args, date=None, **options):
        sent = reminders.send_all(SystemActor("send_reminders"), on=date)
        for name, count in sent.items():
            self.stdout.write(f"{name}: {count} reminder(s) sent.")
        self.stdout.write(f"{sum(sent.values())} reminder(s) sent in all.")
