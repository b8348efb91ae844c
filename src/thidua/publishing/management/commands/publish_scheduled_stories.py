"""Publish every scheduled story whose time has come (for a cron line beside the worker)."""

from django.core.management.base import BaseCommand

from thidua.publishing import services


class Command(BaseCommand):
    help = "Publish the scheduled stories that are due."

    def handle(self, *args, **options):
        count = services.publish_due_stories()
        self.stdout.write(f"Published: {count}")
