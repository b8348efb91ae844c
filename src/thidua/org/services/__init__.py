"""Writes on the unit tree: creating units and applying restructurings.

A unit's parent and path never change. A restructuring closes units (valid_to = the day before it
takes effect) and opens successors (valid_from = the effective date), linked by `Lineage`. When a
unit with descendants is closed and its work continues in a new unit, its current descendants are
reopened under the new unit, one to one, so the tree stays whole on every date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from thidua.core import audit, public_cache
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.org.models import Lineage, Restructuring, Unit, UnitKind, path_segment
from thidua.org.selectors import normalise_search

OPERATIONS = ("create", "rename", "merge", "split", "move", "abolish_level")


def _place(unit: Unit) -> Unit:
    """Insert a unit and fix its materialized path from its parent's and its own id."""
    unit.search_name = normalise_search(unit.name)
    unit.path = f"tmp-{id(unit)}-{unit.code}"[:255]
    # The parent may have been saved a moment ago: use the object, not the stale parent_id.
    parent = unit.parent
    unit.depth = parent.depth + 1 if parent is not None else 0
    unit.save(force_insert=True)
    unit.path = (parent.path if parent is not None else "") + path_segment(unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


def place_units(units: list[Unit]) -> list[Unit]:
    """Bulk version of `_place` for imports: parents must come before their children in the list,
    and every parent must already have its path."""
    for unit in units:
        unit.search_name = normalise_search(unit.name)
        unit.path = f"tmp-{id(unit)}"
        unit.depth = unit.parent.depth + 1 if unit.parent is not None else 0
    Unit.objects.bulk_create(units, batch_size=2000)
    for unit in units:
        parent_path = unit.parent.path if unit.parent is not None else ""
        unit.path = parent_path + path_segment(unit.pk)
    Unit.objects.bulk_update(units, ["path"], batch_size=2000)
    # imports write no audit event per unit: what is cached from the tree is stale all the same
    public_cache.changed("org")
    return units


def create_unit(
    actor: Any,
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    valid_from: dt.date,
    **figures: Any,
) -> Unit:
    """Open a new unit under `parent` (administrators over the parent; at the root, superusers)."""
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            require(actor, "org.restructure", None)
            if not actor.is_superuser:
                raise PermissionDenied(_("Only a system administrator can create a top unit."))
    else:
        require(actor, "org.restructure", parent)
    name = clean_name(name)
    unit = Unit(code=code, name=name, kind=kind, parent=parent, valid_from=valid_from, **figures)
    unit.search_name = normalise_search(name)
    unit.path = "pending"
    if parent is not None:
        if not parent.is_valid_on(valid_from):
            raise ValidationError(
                {"parent": _("The parent unit is not in force on %(date)s.") % {"date": valid_from}}
            )
        if parent.kind.order >= kind.order:
            raise ValidationError({"kind": _("A unit must be of a lower level than its parent.")})
    unit.full_clean(exclude=["path", "search_name"])
    with transaction.atomic():
        _place(unit)
        audit.record(actor, "org.create_unit", unit, {"code": code, "name": name})
    return unit


# --- restructurings ---------------------------------------------------------------------------


@dataclass
class Plan:
    """What a restructuring will do: every unit closed and opened, and the lineage between them."""

    effective_date: dt.date
    closed: list[Unit] = field(default_factory=list)
    opened: list[Unit] = field(default_factory=list)
    lineage: list[tuple[Unit, Unit, Decimal, bool]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "closed": [f"{u.code} {u.name}" for u in self.closed],
            "opened": [
                f"{u.code} {u.name} ⊂ {u.parent.name if u.parent else '-'}" for u in self.opened
            ],
            "lineage": [
                f"{p.code} → {s.code} ({share}{', default' if d else ''})"
                for p, s, share, d in self.lineage
            ],
        }


class _Builder:
    def __init__(self, effective_date: dt.date):
        self.day = effective_date
        self.before = effective_date - dt.timedelta(days=1)
        self.plan = Plan(effective_date)
        self.closing: set[int] = set()
        self.new_for_old: dict[int, Unit] = {}

    def error(self, message: str) -> None:
        self.plan.errors.append(message)

    @staticmethod
    def lookup(ref: Any, day: dt.date) -> Unit | None:
        """A Unit, a primary key (an int), or a code (a str) of a unit in force on `day`."""
        if isinstance(ref, Unit):
            return ref
        if isinstance(ref, int):
            return Unit.objects.filter(pk=ref).first()
        return Unit.objects.filter(code=str(ref)).valid_on(day).first()

    def current(self, ref: Any) -> Unit | None:
        unit = self.lookup(ref, self.before)
        if unit is None:
            self.error(_("Unit %(ref)s does not exist.") % {"ref": ref})
            return None
        if not unit.is_valid_on(self.before) or (unit.valid_to and unit.valid_to < self.day):
            self.error(
                _("%(unit)s is not in force on %(date)s.") % {"unit": unit, "date": self.day}
            )
            return None
        if unit.pk in self.closing:
            self.error(_("%(unit)s appears in two operations.") % {"unit": unit})
            return None
        return unit

    def close(self, unit: Unit) -> None:
        self.closing.add(unit.pk)
        self.plan.closed.append(unit)

    def open(self, *, code: str, name: str, kind: UnitKind, parent: Unit | None, like=None) -> Unit:
        name = clean_name(name)
        unit = Unit(code=code, name=name, kind=kind, parent=parent, valid_from=self.day)
        if like is not None:
            for attr in ("households", "population", "area_km2", "latitude", "longitude"):
                setattr(unit, attr, getattr(like, attr))
        self.plan.opened.append(unit)
        return unit

    def link(self, old: Unit, new: Unit, share: Decimal = Decimal(1), default: bool = True):
        self.plan.lineage.append((old, new, share, default))

    def carry_children(self, old: Unit, new_parent: Unit) -> None:
        """Reopen old's current children (and theirs) under new_parent, one to one."""
        for child in Unit.objects.filter(parent=old).valid_on(self.before).select_related("kind"):
            if child.pk in self.closing:
                continue
            if child.valid_to is not None and child.valid_to < self.day:
                continue
            self.close(child)
            copy = self.open(
                code=child.code, name=child.name, kind=child.kind, parent=new_parent, like=child
            )
            self.link(child, copy)
            self.carry_children(child, copy)

    def kind(self, ref: Any, fallback: UnitKind) -> UnitKind:
        if not ref:
            return fallback
        kind = UnitKind.objects.filter(code=ref).first()
        if kind is None:
            self.error(_("Unknown unit kind %(kind)s.") % {"kind": ref})
            return fallback
        return kind

    def parent_ref(self, ref: Any) -> Unit | None:
        if ref in (None, ""):
            return None
        unit = self.lookup(ref, self.day) or self.lookup(ref, self.before)
        if unit is None:
            self.error(_("Parent %(ref)s does not exist.") % {"ref": ref})
            return None
        if not unit.is_valid_on(self.day) and unit.pk not in self.closing:
            self.error(
                _("%(unit)s is not in force on %(date)s.") % {"unit": unit, "date": self.day}
            )
            return None
        return unit


def _as_share(raw: Any) -> Decimal:
    try:
        share = Decimal(str(raw))
    except Exception as error:  # noqa: BLE001 - any bad number is a validation error
        raise ValidationError(_("Share %(value)s is not a number.") % {"value": raw}) from error
    if not share.is_finite() or share.as_tuple().exponent < -8:
        raise ValidationError(_("Share %(value)s has more than 8 decimal places.") % {"value": raw})
    return share


def plan_restructuring(*, effective_date: dt.date, operations: list[dict[str, Any]]) -> Plan:
    """Work out, without writing anything, what the operations do. Errors are listed in the plan."""
    builder = _Builder(effective_date)
    for number, op in enumerate(operations, start=1):
        kind_of_op = op.get("op")
        if kind_of_op not in OPERATIONS:
            builder.error(
                _("Operation %(n)s: unknown operation %(op)s.") % {"n": number, "op": kind_of_op}
            )
            continue
        if kind_of_op == "create":
            parent = builder.parent_ref(op.get("parent"))
            kind = builder.kind(op.get("kind"), None)
            if kind is None or not op.get("code") or not op.get("name"):
                builder.error(
                    _("Operation %(n)s: code, name and kind are required.") % {"n": number}
                )
                continue
            builder.open(code=op["code"], name=op["name"], kind=kind, parent=parent)
        elif kind_of_op in ("rename", "move"):
            old = builder.current(op.get("unit"))
            if old is None:
                continue
            parent = old.parent
            if kind_of_op == "move":
                parent = builder.parent_ref(op.get("parent"))
                if parent is None:
                    continue
                if parent.path.startswith(old.path):
                    builder.error(_("A unit cannot move under itself."))
                    continue
            name = op.get("name") or old.name
            builder.close(old)
            new = builder.open(
                code=op.get("code") or old.code, name=name, kind=old.kind, parent=parent, like=old
            )
            builder.link(old, new)
            builder.carry_children(old, new)
        elif kind_of_op == "merge":
            refs = op.get("units", [])
            if len({str(ref) for ref in refs}) != len(refs):
                builder.error(_("Operation %(n)s: a unit is listed twice.") % {"n": number})
                continue
            olds = []
            for ref in refs:
                unit = builder.current(ref)
                olds.append(unit)
                if unit is not None:
                    builder.closing.add(unit.pk)  # reserve it for this merge
            for unit in olds:
                if unit is not None:
                    builder.closing.discard(unit.pk)
            if any(
                a is not None and b is not None and a.pk != b.pk and b.path.startswith(a.path)
                for a in olds
                for b in olds
            ):
                builder.error(
                    _("Operation %(n)s: a unit cannot be merged with a unit below it.")
                    % {"n": number}
                )
                continue
            if any(u is None for u in olds) or len(olds) < 2:
                builder.error(
                    _("Operation %(n)s: a merge needs two or more units.") % {"n": number}
                )
                continue
            into = op.get("into") or {}
            parent = (
                builder.parent_ref(into.get("parent")) if into.get("parent") else olds[0].parent
            )
            new = builder.open(
                code=into.get("code") or olds[0].code,
                name=into.get("name") or olds[0].name,
                kind=builder.kind(into.get("kind"), olds[0].kind),
                parent=parent,
            )
            for old in olds:
                builder.close(old)
                builder.link(old, new)
                builder.carry_children(old, new)
        elif kind_of_op == "split":
            old = builder.current(op.get("unit"))
            parts = op.get("into") or []
            if old is None:
                continue
            if len(parts) < 2:
                builder.error(
                    _("Operation %(n)s: a split needs two or more parts.") % {"n": number}
                )
                continue
            try:
                shares = [_as_share(p.get("share")) for p in parts]
            except ValidationError as error:
                builder.error(f"{number}: {error.messages[0]}")
                continue
            if sum(shares) != Decimal(1) or any(s <= 0 for s in shares):
                builder.error(
                    _("Operation %(n)s: shares must be positive and sum to 1.") % {"n": number}
                )
                continue
            defaults = [bool(p.get("is_default")) for p in parts]
            if defaults.count(True) != 1:
                builder.error(
                    _("Operation %(n)s: exactly one part must be the default successor.")
                    % {"n": number}
                )
                continue
            builder.close(old)
            default_new = None
            for part, share, is_default in zip(parts, shares, defaults, strict=True):
                new = builder.open(
                    code=part.get("code") or old.code,
                    name=part.get("name") or old.name,
                    kind=old.kind,
                    parent=old.parent,
                )
                builder.link(old, new, share, is_default)
                if is_default:
                    default_new = new
            builder.carry_children(old, default_new)
        elif kind_of_op == "abolish_level":
            kind = builder.kind(op.get("kind"), None)
            if kind is None:
                continue
            scope = builder.parent_ref(op.get("under")) if op.get("under") else None
            levels = Unit.objects.filter(kind=kind).valid_on(builder.before)
            if scope is not None:
                levels = levels.filter(path__startswith=scope.path)
            for old in levels.select_related("parent", "kind"):
                if old.pk in builder.closing or (old.valid_to and old.valid_to < builder.day):
                    continue
                if old.parent is None:
                    builder.error(_("%(unit)s has no parent to hand its units to.") % {"unit": old})
                    continue
                builder.close(old)
                builder.link(old, old.parent)
                builder.carry_children(old, old.parent)
    seen_codes: set[str] = set()
    existing = set(
        Unit.objects.filter(
            code__in=[u.code for u in builder.plan.opened], valid_from=effective_date
        ).values_list("code", flat=True)
    )
    for unit in builder.plan.opened:
        if unit.code in seen_codes or unit.code in existing:
            builder.error(_("Two new units would have the code %(code)s.") % {"code": unit.code})
        seen_codes.add(unit.code)
        if unit.parent is not None and unit.parent.pk in builder.closing:
            builder.error(_("%(unit)s would open under a closed unit.") % {"unit": unit})
    return builder.plan


def apply_restructuring(
    actor: Any,
    *,
    effective_date: dt.date,
    title: str,
    legal_basis: str = "",
    operations: list[dict[str, Any]],
    dry_run: bool = False,
) -> tuple[Restructuring | None, Plan]:
    """Apply a restructuring atomically (or only preview it with dry_run). Administrators only:
    over every unit touched, or system administrators for operations that span the whole tree."""
    plan = plan_restructuring(effective_date=effective_date, operations=operations)
    for unit in plan.closed:
        require(actor, "org.restructure", unit)
    for unit in plan.opened:
        if unit.parent is None:
            if not getattr(actor, "is_superuser", False):
                raise PermissionDenied(_("Only a system administrator can create a top unit."))
        elif unit.parent.pk:
            require(actor, "org.restructure", unit.parent)
    if not title.strip():
        plan.errors.append(_("A restructuring needs a title."))
    if plan.errors:
        raise ValidationError(plan.errors)
    if dry_run:
        return None, plan
    with transaction.atomic():
        restructuring = Restructuring.objects.create(
            effective_date=effective_date,
            title=title,
            legal_basis=legal_basis,
            operations=operations,
            created_by=actor if isinstance(actor, models.Model) else None,
        )
        before = effective_date - dt.timedelta(days=1)
        closed_ids = [u.pk for u in plan.closed]
        restructuring.previous_ends = {
            str(u.pk): u.valid_to.isoformat() if u.valid_to else None for u in plan.closed
        }
        restructuring.save(update_fields=["previous_ends"])
        Unit.objects.filter(pk__in=closed_ids).update(
            valid_to=before, closed_by_restructuring=restructuring
        )
        for unit in plan.opened:  # parents are planned before their children
            unit.created_by_restructuring = restructuring
            _place(unit)
        Lineage.objects.bulk_create(
            Lineage(
                restructuring=restructuring,
                predecessor=old,
                successor=new,
                share=share,
                is_default=is_default,
            )
            for old, new, share, is_default in plan.lineage
        )
        audit.record(
            actor,
            "org.apply_restructuring",
            restructuring,
            {"effective_date": effective_date, "title": title, **plan.summary()},
        )
    return restructuring, plan


def attached_records(units: list[Unit], restructuring: Restructuring | None = None) -> int:
    """How many records point at these units: any relation (hidden ones such as audit events
    included), and units placed under them other than by this restructuring."""
    ids = [u.pk for u in units]
    total = 0
    relations = [
        f
        for f in Unit._meta.get_fields(include_hidden=True)
        if f.is_relation and f.auto_created and not f.concrete
    ]
    for relation in relations:
        model = relation.related_model
        if model is Lineage:
            continue
        records = model._default_manager.filter(**{f"{relation.field.name}__in": ids})
        if model is Unit:
            if relation.field.name != "parent":
                continue
            records = records.exclude(created_by_restructuring=restructuring)
        total += records.count()
    return total


# Undoing a restructuring that closed more units than this needs its title typed: one click must
# not undo a whole city reform.
UNDO_TYPED_NAME_OVER = 5


def undo_needs_typed_name(restructuring: Restructuring) -> bool:
    """Whether undoing `restructuring` asks the user to type its title."""
    return restructuring.closed_units.count() > UNDO_TYPED_NAME_OVER


def _same_title(typed: str, title: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(title.split()).casefold()


def undo_restructuring(
    actor: Any, *, restructuring: Restructuring, confirmation: str = ""
) -> Restructuring:
    """Undo a restructuring while nothing has been attached to the units it opened.

    One that closed more than UNDO_TYPED_NAME_OVER units is undone only when `confirmation` is
    its title (spaces and case aside)."""
    opened = list(restructuring.opened_units.all())
    closed = list(restructuring.closed_units.all())
    for unit in opened + closed:
        require(actor, "org.restructure", unit)
    if not opened and not closed and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("You do not have permission to do this."))
    if restructuring.status != Restructuring.Status.APPLIED:
        raise ValidationError(_("This restructuring has already been undone."))
    if len(closed) > UNDO_TYPED_NAME_OVER and not _same_title(confirmation, restructuring.title):
        raise ValidationError(
            {
                "confirmation": _(
                    "This restructuring closed %(count)s units: type its name exactly to undo it."
                )
                % {"count": len(closed)}
            }
        )
    later = Restructuring.objects.filter(
        status=Restructuring.Status.APPLIED, closed_units__created_by_restructuring=restructuring
    ).exists()
    if later:
        raise ValidationError(_("A later restructuring changed the units this one opened."))
    if attached_records(opened, restructuring):
        raise ValidationError(
            _(
                "Records are already attached to the new units; "
                "this restructuring can no longer be undone."
            )
        )
    with transaction.atomic():
        Lineage.objects.filter(restructuring=restructuring).delete()
        # Deepest first (longest path) so children go before parents.
        for unit in sorted(opened, key=lambda u: -len(u.path)):
            unit.delete()
        previous = restructuring.previous_ends or {}
        for unit in closed:
            end = previous.get(str(unit.pk))
            Unit.objects.filter(pk=unit.pk).update(
                valid_to=dt.date.fromisoformat(end) if end else None,
                closed_by_restructuring=None,
            )
        restructuring.status = Restructuring.Status.UNDONE
        restructuring.save(update_fields=["status"])
        audit.record(actor, "org.undo_restructuring", restructuring, {})
    return restructuring


def generate_residential_areas(actor: Any, *, wards: list[Unit], valid_from: dt.date) -> int:
    """Demo data: give each ward a deterministic set of residential groups (tổ dân phố) or
    villages (thôn), sized from its code so every run gives the same tree. Real deployments load
    their residential areas with `import_units`."""
    kind = UnitKind.objects.get(code="residential_area")
    existing = set(
        Unit.objects.filter(parent__in=wards, kind=kind).values_list("parent_id", flat=True)
    )
    batch: list[Unit] = []
    for ward in wards:
        if ward.pk in existing:
            continue
        digest = int(hashlib.sha256(ward.code.encode()).hexdigest(), 16)
        urban = ward.name.startswith("Phường")
        count = (12 + digest % 19) if urban else (8 + digest % 13)
        label = "Tổ dân phố" if urban else "Thôn"
        for number in range(1, count + 1):
            households = 80 + (digest >> number) % 220
            batch.append(
                Unit(
                    code=f"{ward.code}-{number:02d}",
                    name=f"{label} {number}",
                    kind=kind,
                    parent=ward,
                    valid_from=max(valid_from, ward.valid_from),
                    households=households,
                    population=households * 4 - 30 + (digest >> (number + 7)) % 60,
                )
            )
    with transaction.atomic():
        place_units(batch)
        if batch:
            audit.record(actor, "org.generate_residential_areas", None, {"units": len(batch)})
    return len(batch)
