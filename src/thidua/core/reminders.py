"""The day's reminders, from every app, sent by one command (`manage.py send_reminders`, run daily
from cron or a systemd timer).

Each app that reminds people of something registers its sender in its `AppConfig.ready()`:
`reminders.register("movements.reports", send_due_reminders)`. A sender takes the acting
(system) user and the day, `send(actor, *, on)`, sends what is due that day, and returns how many
notifications it sent; it is idempotent (run twice the same day, it sends nothing new). `core`
imports no app: it only calls what was registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Sender = Callable[..., int]


@dataclass(frozen=True)
class ReminderSource:
    name: str  # "<app>.<what>", e.g. "movements.reports"
    send: Sender


_registry: dict[str, ReminderSource] = {}


def register(name: str, send: Sender) -> Sender:
    """Add an app's reminder sender under `name`; called once from its AppConfig.ready()."""
    _registry[name] = ReminderSource(name, send)
    return send


def sources() -> list[ReminderSource]:
    return list(_registry.values())


def send_all(actor: Any, *, on: dt.date | None = None) -> dict[str, int]:
    """Run every registered sender for the day; {source name: notifications sent}."""
    return {source.name: source.send(actor, on=on) for source in sources()}
