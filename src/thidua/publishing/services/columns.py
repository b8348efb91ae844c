"""Columns per unit and static pages (about, contacts, documents)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.publishing.models import Column, StaticPage
from thidua.publishing.richtext import clean_html

# The columns the founding document names (D10), with their English and Indonesian names.
DOCUMENT_COLUMNS = [
    ("doan-ket-sang-tao", "Đoàn kết sáng tạo", "Creative solidarity", "Solidaritas kreatif"),
    ("nguoi-tot-viec-tot", "Người tốt, việc tốt", "Good people, good deeds", "Orang baik"),
    ("mo-hinh-dien-hinh", "Mô hình điển hình", "Model practices", "Praktik teladan"),
    ("vi-nguoi-ngheo", "Vì người nghèo", "For the poor", "Untuk kaum miskin"),
    (
        "chao-mung-dai-hoi",
        "Chào mừng Đại hội MTTQ các cấp",
        "Towards the Front's congresses",
        "Menyambut kongres Front",
    ),
]


def ensure_columns(unit: Any) -> list[Column]:
    """The document's columns on a unit's portal (idempotent; used by the demo and setup)."""
    columns = []
    for order, (slug, name, name_en, name_id) in enumerate(DOCUMENT_COLUMNS):
        column, _created = Column.objects.get_or_create(
            unit=unit,
            slug=slug,
            defaults={"name": name, "name_en": name_en, "name_id": name_id, "order": order},
        )
        columns.append(column)
    return columns


def _unique_slug(unit: Any, name: str, *, exclude: int | None = None) -> str:
    base = slugify(unidecode(name))[:70] or "chuyen-muc"
    taken = set(
        Column.objects.filter(unit=unit, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _names(name: str, name_en: str, name_id: str) -> tuple[str, str, str]:
    name = clean_name(name)
    if not name:
        raise ValidationError({"name": _("Give the column a name.")})
    return name, clean_name(name_en), clean_name(name_id)


def _check_unique_name(unit: Any, name: str, exclude: int | None = None) -> None:
    clash = Column.objects.filter(unit=unit, name__iexact=name).exclude(pk=exclude).exists()
    if clash:
        raise ValidationError({"name": _("This unit already has a column of this name.")})


@transaction.atomic
def create_column(
    actor: Any,
    *,
    unit: Any,
    name: str,
    name_en: str = "",
    name_id: str = "",
    description: str = "",
) -> Column:
    """A new column of the unit's portal, placed last. Its editors manage its columns."""
    require(actor, "publishing.approve", unit)
    name, name_en, name_id = _names(name, name_en, name_id)
    _check_unique_name(unit, name)
    last = Column.objects.filter(unit=unit).order_by("-order").values_list("order", flat=True)
    column = Column(
        unit=unit,
        name=name,
        name_en=name_en,
        name_id=name_id,
        description=description.strip(),
        slug=_unique_slug(unit, name),
        order=(last.first() or 0) + 1 if last.exists() else 0,
    )
    column.full_clean()
    column.save()
    audit.record(actor, "publishing.column_create", column, {"name": column.name}, unit=unit)
    return column


@transaction.atomic
def rename_column(
    actor: Any,
    *,
    column: Column,
    name: str,
    name_en: str = "",
    name_id: str = "",
    description: str = "",
) -> Column:
    """A new name (and its translations, and description). The address keeps its slug: links
    already shared still lead to the column."""
    column = Column.objects.select_for_update().select_related("unit").get(pk=column.pk)
    require(actor, "publishing.approve", column.unit)
    name, name_en, name_id = _names(name, name_en, name_id)
    _check_unique_name(column.unit, name, exclude=column.pk)
    before = column.name
    column.name, column.name_en, column.name_id = name, name_en, name_id
    column.description = description.strip()
    column.full_clean()
    column.save()
    audit.record(
        actor,
        "publishing.column_rename",
        column,
        {"from": before, "name": column.name},
        unit=column.unit,
    )
    return column


@transaction.atomic
def move_column(actor: Any, *, column: Column, direction: str) -> list[Column]:
    """One place up or down among the unit's columns (in use or retired); the unit's columns
    are renumbered 0, 1, 2… in their new order."""
    require(actor, "publishing.approve", column.unit)
    if direction not in {"up", "down"}:
        raise ValidationError(_("Move the column up or down."))
    siblings = list(
        Column.objects.select_for_update().filter(unit_id=column.unit_id).order_by("order", "name")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == column.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, each in enumerate(siblings):
        if each.order != order:
            each.order = order
            each.save(update_fields=["order"])
    audit.record(
        actor,
        "publishing.column_move",
        column,
        {"name": column.name, "direction": direction},
        unit=column.unit,
    )
    return siblings


@transaction.atomic
def retire_column(actor: Any, *, column: Column, retire: bool = True) -> Column:
    """A retired column takes no new story and leaves the portal's menus and front pages; its
    stories stay published where they are. `retire=False` brings it back."""
    column = Column.objects.select_for_update().select_related("unit").get(pk=column.pk)
    require(actor, "publishing.approve", column.unit)
    if column.is_active != retire:
        raise ValidationError(
            _("This column is already retired.") if retire else _("This column is in use.")
        )
    column.is_active = not retire
    column.save(update_fields=["is_active"])
    verb = "publishing.column_retire" if retire else "publishing.column_restore"
    audit.record(actor, verb, column, {"name": column.name}, unit=column.unit)
    return column


def save_column(
    actor: Any, *, unit: Any, name: str, description: str = "", column: Column | None = None
) -> Column:
    """Create or rename (the former entry point)."""
    if column is None:
        return create_column(actor, unit=unit, name=name, description=description)
    return rename_column(
        actor,
        column=column,
        name=name,
        name_en=column.name_en,
        name_id=column.name_id,
        description=description,
    )


@transaction.atomic
def save_page(actor: Any, *, unit: Any, slug: str, title: str, body: str) -> StaticPage:
    require(actor, "publishing.approve", unit)
    page, _created = StaticPage.objects.get_or_create(
        unit=unit, slug=slug, defaults={"title": clean_name(title)}
    )
    page.title = clean_name(title)
    page.body = clean_html(body)
    page.full_clean()
    page.save()
    audit.record(actor, "publishing.page_save", page, {"title": page.title}, unit=unit)
    return page
