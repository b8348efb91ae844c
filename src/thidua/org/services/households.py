"""The household register of residential areas: import, moves, merges, and who may read names.

Rules enforced here:
- an import is all-or-nothing: every row is checked first and each bad row and column is named;
  nothing is written while one is wrong;
- importing the same file twice changes nothing (a row equal to the register is left alone);
- a household whose area changes is moved, with a dated `HouseholdMove`; its past (titles of
  earlier years) stays with the area of that time;
- an ID number is never stored: only its keyed hash;
- names are read by staff of the area's subtree (`org.view_households`), never by the public
  here: the posting windows and decisions that show them copy them into their own frozen list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import audit
from thidua.core.policy import require, scope_filter
from thidua.core.text import clean_name
from thidua.org.imports import ImportFailed, RowError
from thidua.org.models import Household, HouseholdMove, Unit
from thidua.org.selectors import normalise_search

# column key → the header labels accepted (compared without diacritics or case)
COLUMNS: dict[str, tuple[Any, ...]] = {
    "code": (gettext_lazy("Household code"), "code", "ma ho"),
    "area": (gettext_lazy("Area code"), "area_code", "ma to dan pho"),
    "head": (gettext_lazy("Head of household"), "head_name", "chu ho"),
    "address": (gettext_lazy("Address"), "address", "dia chi"),
    "members": (gettext_lazy("Members"), "members", "so nhan khau"),
    "phone": (gettext_lazy("Phone"), "phone", "dien thoai"),
    "id_number": (gettext_lazy("ID number"), "id_number", "so dinh danh"),
    "moved_on": (gettext_lazy("Date of the move"), "moved_on", "ngay chuyen den"),
}
REQUIRED = ("code", "area", "head")


def id_digest(id_number: str) -> str:
    """A keyed hash of an ID number: the same number is recognised, the number is not kept."""
    clean = "".join(ch for ch in (id_number or "") if ch.isalnum()).upper()
    if not clean:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"household-id:" + clean.encode(), hashlib.sha256).hexdigest()


def column_key(header: str) -> str | None:
    wanted = normalise_search(header)
    for key, labels in COLUMNS.items():
        if any(normalise_search(str(label)) == wanted for label in labels):
            return key
    return None


def column_label(key: str) -> str:
    return str(COLUMNS[key][0])


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.moved


def _parse_date(value: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def import_households(
    actor: Any,
    *,
    commune: Unit,
    rows: list[dict[str, str]],
    effective_on: dt.date | None = None,
    source: str = "",
) -> ImportResult:
    """Check every row, then create, update and move households in one transaction (or none).

    `rows` are dicts keyed by the file's header (see `org.imports.read_table`); the header may use
    the translated labels or the short keys of `COLUMNS`. `effective_on` dates the moves of rows
    without their own date (default today)."""
    require(actor, "org.manage_households", commune)
    effective_on = effective_on or timezone.localdate()
    areas = {
        u.code: u
        for u in Unit.objects.within(commune).valid_on(effective_on).exclude(pk=commune.pk)
    }
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    if rows:
        keys = {header: column_key(header) for header in rows[0]}
        missing = [k for k in REQUIRED if k not in keys.values()]
        for key in missing:
            errors.append(RowError(1, column_label(key), _("This column is missing.")))
        if missing:
            raise ImportFailed(errors)
    for number, raw in enumerate(rows, start=2):
        row = {keys[h]: (v or "").strip() for h, v in raw.items() if keys.get(h)}
        if not any(row.values()):
            continue
        item: dict[str, Any] = {"row": number}
        code = row.get("code", "")
        if not code:
            errors.append(RowError(number, column_label("code"), _("The code is empty.")))
        elif code in seen:
            errors.append(
                RowError(
                    number,
                    column_label("code"),
                    _("Household %(code)s is already on row %(row)s.")
                    % {"code": code, "row": seen[code]},
                )
            )
        else:
            seen[code] = number
        item["code"] = code
        area = areas.get(row.get("area", ""))
        if area is None:
            errors.append(
                RowError(
                    number,
                    column_label("area"),
                    _("No area with code “%(code)s” in this commune.")
                    % {"code": row.get("area", "")},
                )
            )
        item["area"] = area
        head = clean_name(row.get("head", ""))
        if not head:
            errors.append(RowError(number, column_label("head"), _("The name is empty.")))
        item["head"] = head
        item["address"] = row.get("address", "")[:300]
        members = row.get("members", "") or "1"
        try:
            item["members"] = int(float(members.replace(",", ".")))
            if not 1 <= item["members"] <= 200:
                raise ValueError
        except ValueError:
            errors.append(
                RowError(number, column_label("members"), _("Give a whole number from 1 to 200."))
            )
        item["phone"] = row.get("phone", "")[:30]
        item["digest"] = id_digest(row.get("id_number", ""))
        try:
            item["moved_on"] = _parse_date(row["moved_on"]) if row.get("moved_on") else None
        except ValueError:
            errors.append(
                RowError(number, column_label("moved_on"), _("Write the date as dd/mm/yyyy."))
            )
        parsed.append(item)
    if errors:
        raise ImportFailed(errors)
    if not parsed:
        raise ImportFailed([RowError(0, "-", _("The file has no household."))])
    existing = {h.code: h for h in Household.objects.filter(code__in=[p["code"] for p in parsed])}
    for item in parsed:
        household = existing.get(item["code"])
        if household is not None and not household.unit.path.startswith(commune.path):
            errors.append(
                RowError(
                    item["row"],
                    column_label("code"),
                    _("Household %(code)s belongs to another commune.") % {"code": item["code"]},
                )
            )
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        new: list[Household] = []
        moves: list[HouseholdMove] = []
        for item in parsed:
            household = existing.get(item["code"])
            if household is None:
                new.append(
                    Household(
                        unit=item["area"],
                        code=item["code"],
                        head_name=item["head"],
                        search_name=normalise_search(item["head"]),
                        address=item["address"],
                        members=item["members"],
                        phone=item["phone"],
                        id_number_digest=item["digest"],
                        in_area_since=item["moved_on"] or effective_on,
                        source_file=source[:64],
                        source_row=item["row"],
                    )
                )
                continue
            fields = []
            if household.unit_id != item["area"].pk:
                day = item["moved_on"] or effective_on
                moves.append(
                    HouseholdMove(
                        household=household,
                        from_unit_id=household.unit_id,
                        to_unit=item["area"],
                        moved_on=day,
                        recorded_by=user,
                    )
                )
                household.unit = item["area"]
                household.in_area_since = day
                fields += ["unit", "in_area_since"]
            for field, value in (
                ("head_name", item["head"]),
                ("address", item["address"]),
                ("members", item["members"]),
                ("phone", item["phone"]),
            ):
                if getattr(household, field) != value:
                    setattr(household, field, value)
                    fields.append(field)
            if item["digest"] and household.id_number_digest != item["digest"]:
                household.id_number_digest = item["digest"]
                fields.append("id_number_digest")
            if "head_name" in fields:
                household.search_name = normalise_search(household.head_name)
                fields.append("search_name")
            if not fields:
                result.unchanged += 1
                continue
            if "unit" in fields:
                result.moved += 1
            else:
                result.updated += 1
            household.save(update_fields=fields)
        Household.objects.bulk_create(new, batch_size=1000)
        HouseholdMove.objects.bulk_create(moves, batch_size=1000)
        result.created = len(new)
        if result.changed:
            audit.record(
                actor,
                "org.import_households",
                commune,
                {
                    "created": result.created,
                    "updated": result.updated,
                    "moved": result.moved,
                    "source": source[:64],
                },
            )
    return result


def _household_errors(*, code: str, head: str, members: int, exclude: int | None = None) -> dict:
    errors = {}
    if not code:
        errors["code"] = _("The code is empty.")
    elif Household.objects.filter(code=code).exclude(pk=exclude).exists():
        errors["code"] = _("Household %(code)s is already in the register.") % {"code": code}
    if not head:
        errors["head_name"] = _("The name is empty.")
    if not 1 <= (members or 0) <= 200:
        errors["members"] = _("Give a whole number from 1 to 200.")
    return errors


def add_household(
    actor: Any,
    *,
    area: Unit,
    code: str,
    head_name: str,
    address: str = "",
    members: int = 1,
    phone: str = "",
    id_number: str = "",
    in_area_since: dt.date | None = None,
) -> Household:
    """One household added to an area's register by hand (a family settling in the area)."""
    require(actor, "org.manage_households", area)
    code, head = (code or "").strip()[:40], clean_name(head_name or "")
    errors = _household_errors(code=code, head=head, members=members)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household = Household.objects.create(
            unit=area,
            code=code,
            head_name=head,
            search_name=normalise_search(head),
            address=(address or "").strip()[:300],
            members=members,
            phone=(phone or "").strip()[:30],
            id_number_digest=id_digest(id_number),
            in_area_since=in_area_since or timezone.localdate(),
        )
        audit.record(actor, "org.add_household", household, {"area": area.pk}, unit=area)
    return household


def edit_household(
    actor: Any,
    *,
    household: Household,
    code: str,
    head_name: str,
    address: str = "",
    members: int = 1,
    phone: str = "",
    id_number: str = "",
) -> Household:
    """Correct a household's details (its area changes only by a dated move). An empty ID number
    keeps the one recognised before."""
    require(actor, "org.manage_households", household.unit)
    code, head = (code or "").strip()[:40], clean_name(head_name or "")
    errors = _household_errors(code=code, head=head, members=members, exclude=household.pk)
    if errors:
        raise ValidationError(errors)
    changed = []
    for field, value in (
        ("code", code),
        ("head_name", head),
        ("address", (address or "").strip()[:300]),
        ("members", members),
        ("phone", (phone or "").strip()[:30]),
    ):
        if getattr(household, field) != value:
            setattr(household, field, value)
            changed.append(field)
    digest = id_digest(id_number)
    if digest and digest != household.id_number_digest:
        household.id_number_digest = digest
        changed.append("id_number_digest")
    if not changed:
        return household
    if "head_name" in changed:
        household.search_name = normalise_search(household.head_name)
        changed.append("search_name")
    with transaction.atomic():
        household.save(update_fields=changed)
        # the fields changed, never their values (names and ID numbers stay out of the log)
        audit.record(
            actor, "org.edit_household", household, {"fields": changed}, unit=household.unit
        )
    return household


def close_household(
    actor: Any, *, household: Household, closed_on: dt.date, reason: str
) -> Household:
    """A household leaves the register (moved out of the commune, dissolved): it is no longer
    assessed; its past titles stay."""
    require(actor, "org.manage_households", household.unit)
    reason = (reason or "").strip()
    errors = {}
    if not household.is_active:
        errors["__all__"] = _("This household is no longer in the register.")
    if not reason:
        errors["reason"] = _("Say why the household leaves the register.")
    if closed_on < household.in_area_since:
        errors["closed_on"] = _("The date cannot be earlier than the household's arrival.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household.status = Household.Status.MOVED
        household.attributes = {
            **household.attributes,
            "closed_on": closed_on.isoformat(),
            "closed_reason": reason[:300],
        }
        household.save(update_fields=["status", "attributes"])
        audit.record(
            actor,
            "org.close_household",
            household,
            {"on": closed_on, "reason": reason[:300]},
            unit=household.unit,
        )
    return household


def move_household(
    actor: Any, *, household: Household, to_unit: Unit, moved_on: dt.date, note: str = ""
) -> Household:
    """Move a household to another area from a date; the move is kept with its date."""
    require(actor, "org.manage_households", household.unit)
    require(actor, "org.manage_households", to_unit)
    if to_unit.pk == household.unit_id:
        raise ValidationError({"to_unit": _("The household is already in this area.")})
    if not household.is_active:
        raise ValidationError(_("Only an active household can move."))
    if moved_on < household.in_area_since:
        raise ValidationError({"moved_on": _("The move cannot be earlier than the last one.")})
    with transaction.atomic():
        HouseholdMove.objects.create(
            household=household,
            from_unit_id=household.unit_id,
            to_unit=to_unit,
            moved_on=moved_on,
            note=note[:300],
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        household.unit = to_unit
        household.in_area_since = moved_on
        household.save(update_fields=["unit", "in_area_since"])
        audit.record(actor, "org.move_household", household, {"to": to_unit.pk, "on": moved_on})
    return household


def merge_household(
    actor: Any, *, household: Household, into: Household, merged_on: dt.date, note: str = ""
) -> Household:
    """Merge a household into another one from a date: it leaves the register, its past stays."""
    require(actor, "org.manage_households", household.unit)
    require(actor, "org.manage_households", into.unit)
    if into.pk == household.pk or not into.is_active or not household.is_active:
        raise ValidationError(_("Choose another active household to merge into."))
    with transaction.atomic():
        HouseholdMove.objects.create(
            household=household,
            kind=HouseholdMove.Kind.MERGE,
            from_unit_id=household.unit_id,
            to_unit_id=into.unit_id,
            merged_into=into,
            moved_on=merged_on,
            note=note[:300],
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        household.status = Household.Status.MERGED
        household.merged_into = into
        household.save(update_fields=["status", "merged_into"])
        audit.record(actor, "org.merge_household", household, {"into": into.pk})
    return household


# reads


def households_of(area: Unit) -> QuerySet[Household]:
    """The active households of an area (no permission asked: callers decide what to show)."""
    return Household.objects.filter(unit=area, status=Household.Status.ACTIVE).order_by("code")


def visible_households(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(scope_filter(user, "org.view_households", "unit__path"))


def register_of(user: Any, area: Unit, *, query: str = "", closed: bool = False):
    """An area's households for the register page and API, searched by name, code or address
    (without diacritics), in code order."""
    rows = visible_households(user).filter(unit=area).select_related("unit")
    rows = (
        rows.exclude(status=Household.Status.ACTIVE)
        if closed
        else rows.filter(status=Household.Status.ACTIVE)
    )
    text = normalise_search(query or "")
    if text:
        rows = rows.filter(
            Q(search_name__contains=text)
            | Q(code__icontains=query.strip())
            | Q(address__icontains=query.strip())
        )
    return rows.order_by("code")


def get_area_for_user(user: Any, pk: int) -> Unit:
    """An area whose register the user may read (404 otherwise)."""
    area = (
        Unit.objects.filter(scope_filter(user, "org.view_households", "path"), pk=pk)
        .select_related("parent", "kind")
        .first()
    )
    if area is None:
        raise Http404
    return area


def move_targets(user: Any, household: Household) -> QuerySet[Unit]:
    """The other current areas of the household's commune the user manages."""
    return (
        Unit.objects.filter(
            scope_filter(user, "org.manage_households", "path"),
            parent_id=household.unit.parent_id,
            valid_to__isnull=True,
        )
        .exclude(pk=household.unit_id)
        .order_by("code")
    )


def get_household_for_user(user: Any, pk: int) -> Household:
    household = visible_households(user).select_related("unit").filter(pk=pk).first()
    if household is None:
        raise Http404
    return household


def household_counts(areas: list[Unit]) -> dict[int, int]:
    """Active households per area, in one query."""
    rows = (
        Household.objects.filter(unit__in=areas, status=Household.Status.ACTIVE)
        .values("unit_id")
        .annotate(n=Count("id"))
    )
    return {row["unit_id"]: row["n"] for row in rows}


def moves_of(household: Household) -> QuerySet[HouseholdMove]:
    return household.moves.select_related("from_unit", "to_unit").filter(
        Q(kind=HouseholdMove.Kind.MOVE) | Q(kind=HouseholdMove.Kind.MERGE)
    )
