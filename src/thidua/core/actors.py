"""The actor for work started from the command line or a scheduled task, not by a person.

It passes every permission check (whoever runs manage.py already controls the server) and is
named in the audit chain as "system:<name>".
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SystemActor:
    name: str
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = True
    pk: None = None

    def get_username(self) -> str:
        return f"system:{self.name}"

    def __str__(self) -> str:
        return self.get_username()


def person_or_none(actor: Any) -> Any:
    """The user to store in an `actor`/`created_by` column: the person, or None for a system
    actor or an anonymous visitor (neither has a row in the users table)."""
    return actor if getattr(actor, "pk", None) else None
