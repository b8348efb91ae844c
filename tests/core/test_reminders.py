"""One `send_reminders` command sends every app's reminders, each app registering its own."""

import datetime as dt

import pytest
from django.core.management import call_command

from thidua.core import reminders


def test_each_app_registers_its_reminders():
    names = [source.name for source in reminders.sources()]
    assert names[:2] == ["movements.reports", "initiatives.reviews"]


@pytest.mark.django_db
def test_the_command_asks_every_registered_app_for_the_day(monkeypatch, capsys):
    asked = []

    def fake(name, count):
        def send(actor, *, on=None):
            asked.append((name, str(actor), on))
            return count

        return send

    monkeypatch.setattr(reminders, "_registry", {})
    reminders.register("one.kind", fake("one", 2))
    reminders.register("another.kind", fake("another", 3))
    call_command("send_reminders", "--date", "2026-04-09")
    day = dt.date(2026, 4, 9)
    assert asked == [
        ("one", "system:send_reminders", day),
        ("another", "system:send_reminders", day),
    ]
    out = capsys.readouterr().out
    assert "one.kind: 2 reminder(s) sent." in out and "5 reminder(s) sent in all." in out
