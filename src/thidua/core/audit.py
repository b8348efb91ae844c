"""The audit chain: append-only, each event's hash covers the previous hash and its own content.

`record` is called by every service after a change of state. On PostgreSQL a trigger refuses
UPDATE and DELETE on the table (see migration 0002); `verify_chain` finds the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from thidua.core import public_cache
from thidua.core.models import AuditEvent

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer of the chain.
AUDIT_LOCK_KEY = 7_262_019


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def event_payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "unit_id": event.unit_id,
        "data": event.data,
    }


def compute_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def _target_unit(target: Any) -> Any:
    Unit = apps.get_model("org", "Unit")  # core imports no app
    if isinstance(target, Unit):
        return target
    for attribute in ("unit", "owner_unit"):
        unit = getattr(target, attribute, None)
        if isinstance(unit, Unit):
            return unit
    return None


def record(
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    *,
    unit: Any = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    unit = unit or (_target_unit(target) if target is not None else None)
    is_user = isinstance(actor, models.Model)
    # Round-trip through JSON so the stored value hashes exactly as it will be read back.
    clean_data = json.loads(canonical_json(data or {}))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if is_user else None,
            actor_label=(actor.get_username() if is_user else str(actor or "system"))[:200],
            verb=verb,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            unit=unit,
            unit_path=unit.path if unit is not None else "",
            data=clean_data,
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = compute_hash(event.prev_hash, event_payload(event))
        event.save(force_insert=True)
    # Every change of state passes here: the public pages showing its kind are stale on commit.
    public_cache.changed(public_cache.kind_of(verb))
    if target is not None:
        public_cache.changed(target._meta.app_label)
    return event


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    reason: str


def iter_chain(batch_size: int = 2000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Walk the chain from the start; return (events checked, first broken link or None)."""
    expected_prev = GENESIS_HASH
    count = 0
    for event in iter_chain():
        count += 1
        if event.prev_hash != expected_prev:
            return count, BrokenLink(event.id, "previous-hash mismatch (an event was removed)")
        if compute_hash(event.prev_hash, event_payload(event)) != event.hash:
            return count, BrokenLink(event.id, "content does not match its hash (edited)")
        expected_prev = event.hash
    return count, None
