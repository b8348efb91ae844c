"""The demo's member organisations of the city Front: the five city-level socio-political
organisations, which since the 2025 reform sit under the Front (Hội Liên hiệp Phụ nữ, Thành đoàn,
Hội Nông dân, Hội Cựu chiến binh, Liên đoàn Lao động), as units of the kind "organisation" under
Thành phố Hà Nội. They are not wards: every count of wards and communes, movement scope and
"next level" reads the ward kind. Idempotent; through the org service."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth import get_user_model

from thidua.org.models import MEMBER_ORGANISATION, Unit, UnitKind
from thidua.org.services import create_unit
from thidua.org.vietnam_import import REFORM_DATE

KIND = MEMBER_ORGANISATION
# code (the city's code, then the organisation's), name
ORGANISATIONS = [
    ("01-HLHPN", "Hội Liên hiệp Phụ nữ thành phố Hà Nội"),
    ("01-THANHDOAN", "Thành đoàn Hà Nội (Đoàn TNCS Hồ Chí Minh)"),
    ("01-HND", "Hội Nông dân thành phố Hà Nội"),
    ("01-HCCB", "Hội Cựu chiến binh thành phố Hà Nội"),
    ("01-LDLD", "Liên đoàn Lao động thành phố Hà Nội"),
]


def organisations(city: Unit) -> list[Unit]:
    """The member organisations under the city, in the order above."""
    units = {
        u.code: u for u in Unit.objects.filter(parent=city, kind__code=KIND, valid_to__isnull=True)
    }
    return [units[code] for code, _name in ORGANISATIONS if code in units]


def seed(*, stdout: TextIO | None = None) -> list[Unit]:
    admin = get_user_model().objects.filter(username="admin", is_active=True).first()
    city = Unit.objects.filter(code="01", kind__code="province", valid_to__isnull=True).first()
    kind = UnitKind.objects.filter(code=KIND).first()
    if admin is None or city is None or kind is None:
        return []
    valid_from = max(REFORM_DATE, city.valid_from)
    existing = {u.code for u in organisations(city)}
    made = [
        create_unit(admin, code=code, name=name, kind=kind, parent=city, valid_from=valid_from)
        for code, name in ORGANISATIONS
        if code not in existing
    ]
    if made and stdout is not None:
        stdout.write(f"Member organisations of the city Front: {len(made)}")
    return organisations(city)
