"""Columns per unit and static pages (about, contacts, documents)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
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


@transaction.atomic
def save_column(
    actor: Any, *, unit: Any, name: str, description: str = "", column: Column | None = None
) -> Column:
    require(actor, "publishing.approve", unit)
    column = column or Column(unit=unit)
    column.name = clean_name(name)
    column.description = description.strip()
    if not column.slug:
        column.slug = slugify(unidecode(column.name))[:80] or "chuyen-muc"
    column.full_clean()
    column.save()
    audit.record(actor, "publishing.column_save", column, {"name": column.name}, unit=unit)
    return column


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
