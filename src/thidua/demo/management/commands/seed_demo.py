"""Load the demo: the real Hà Nội tree (2024 and after the 2025 reform), residential groups, and
one login per role. Idempotent: running it again changes nothing and prints the logins again."""

import time
from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from thidua.core.models import Notification
from thidua.demo.users import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Load the Hà Nội demo data and print one login per role."

    def handle(self, *args, **options):
        started = time.perf_counter()
        seeded_from = timezone.now()
        steps = [
            ("The Hà Nội tree (2024 and after the 2025 reform)", self._tree),
            ("Residential groups and the demo logins", self._seeder("thidua.demo.users")),
            (
                "Emulation movements, registrations and reports",
                self._seeder("thidua.demo.movements"),
            ),
            ("Exemplary practices and exemplars", self._seeder("thidua.demo.practices")),
            ("Initiative calls, council and reviews", self._seeder("thidua.demo.initiatives")),
            ("Commendation rounds, decisions and certificates", self._seeder("thidua.demo.honors")),
            ("Surveys: Mỹ Đức 2024, an effectiveness survey", self._seeder("thidua.demo.surveys")),
            (
                "Newsroom: columns, stories, the bulletin 10/2024",
                self._seeder("thidua.demo.publishing"),
            ),
            ("Cultural families of Phường Bồ Đề", self._seeder("thidua.demo.cultural_titles")),
            (
                "Funds, drives, the public ledger and support cases",
                self._seeder("thidua.demo.mobilization"),
            ),
            ("Officers' training courses and certificates", self._seeder("thidua.demo.training")),
            (
                "Statistical forms 0601–0603 of the city Front, 2025",
                self._seeder("thidua.demo.reports"),
            ),
            (
                "The city Front's five member organisations",
                self._seeder("thidua.demo.organisations"),
            ),
            ("Emulation clusters: the 2025 review", self._seeder("thidua.demo.clusters")),
            # new domains: one module `thidua.demo.<app>` with `seed(*, stdout)`, one line here
        ]
        for number, (label, step) in enumerate(steps, start=1):
            self.stdout.write(f"[{number}/{len(steps)}] {label}…")
            self.stdout.flush()
            step_started = time.perf_counter()
            step()
            self.stdout.write(
                f"[{number}/{len(steps)}] done in {time.perf_counter() - step_started:.1f} s "
                f"(total {time.perf_counter() - started:.1f} s)"
            )
            self.stdout.flush()
        discarded = self._discard_seed_emails(since=seeded_from)
        if discarded:
            self.stdout.write(
                f"E-mails of the seeded (back-dated) history not sent: {discarded}; "
                "e-mails of what you do in the demo are printed by the worker."
            )
        read = self._read_seed_notifications(since=seeded_from)
        if read:
            self.stdout.write(f"Notifications of the seeded history marked as read: {read}")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for username, full_name, role, unit_name, _superuser in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role:<15} {unit_name}  ({full_name})")
        self.stdout.write("  … and the councils' members: see the README's table of logins.")
        self.stdout.write(f"Today: {timezone.localdate()}")

    def _discard_seed_emails(self, *, since) -> int:
        """The seed replays months of history through the services, which queue their e-mails
        for the worker; `bin/demo` prints the worker's e-mails, and dozens about back-dated
        events would bury the ones a visitor triggers. Other tasks (the duplicate index) stay."""
        deleted, _rows = DBTaskResult.objects.filter(
            status="READY",
            enqueued_at__gte=since,
            task_path__in=[
                "thidua.core.tasks.send_notification_email",
                "thidua.core.tasks.send_email_to_address",
            ],
        ).delete()
        return deleted

    def _read_seed_notifications(self, *, since) -> int:
        """The replayed history notified its deciders hundreds of times; a visitor's header and
        inbox should count what happens in the demo, not that history (the work items stay)."""
        return Notification.objects.filter(created_at__gte=since, read_at__isnull=True).update(
            read_at=timezone.now()
        )

    def _tree(self) -> None:
        call_command("import_vietnam", province="01", stdout=self.stdout)

    def _seeder(self, module: str):
        """A step run by `thidua.demo.<app>.seed(stdout=…)`, imported only when it runs."""

        def run() -> None:
            import_module(module).seed(stdout=self.stdout)

        return run
