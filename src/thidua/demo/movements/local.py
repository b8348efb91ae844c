"""The wards' own movements launched in the 2025 statistics year (1/12/2024–30/11/2025), so the
city Front's form 0601 for 2025 counts something: after the reorganisation of 1/7/2025 the new
wards launched drives of their own (the city's six movements were launched in 1/2024, in the
year before). One indicator each; no reports are seeded for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from thidua.movements import services
from thidua.movements.models import Movement
from thidua.org.models import Unit, UnitKind


@dataclass(frozen=True)
class LocalSpec:
    title: str  # {ward} is the ward's name
    kind: str
    schedule: str
    starts_on: dt.date
    ends_on: dt.date
    launched_on: dt.date
    description: str
    indicator: str
    measure: str


LOCAL_2025 = [
    LocalSpec(
        "Thi đua lập thành tích chào mừng Đại hội đại biểu MTTQ Việt Nam {ward} lần thứ I",
        "thematic",
        "monthly",
        dt.date(2025, 7, 15),
        dt.date(2025, 10, 31),
        dt.date(2025, 7, 15),
        "Các khu dân cư thi đua lập thành tích chào mừng Đại hội, nhiệm kỳ 2025–2030.",
        "Số công trình, phần việc chào mừng Đại hội",
        "công trình",
    ),
    LocalSpec(
        "Xây dựng khu dân cư văn minh, sạch đẹp {ward} năm 2026",
        "periodic",
        "quarterly",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        dt.date(2025, 11, 18),  # launched at the Great Unity festival
        "Phát động tại Ngày hội Đại đoàn kết toàn dân tộc 18/11/2025.",
        "Số khu dân cư đạt danh hiệu văn minh, sạch đẹp",
        "khu dân cư",
    ),
    LocalSpec(
        "Thi đua «Dân vận khéo» {ward} giai đoạn 2025–2027",
        "thematic",
        "yearly",
        dt.date(2025, 9, 1),
        dt.date(2027, 8, 31),
        dt.date(2025, 9, 1),
        "Nhân rộng các mô hình dân vận khéo ở khu dân cư.",
        "Số mô hình dân vận khéo được công nhận",
        "mô hình",
    ),
]


def seed_local_2025(wards: list[Unit], actor: Any) -> list[Movement]:
    """Spec i launched by ward i (skipping those that exist); returns the movements."""
    area = UnitKind.objects.filter(code="residential_area").first()
    made = []
    for spec, ward in zip(LOCAL_2025, wards, strict=False):
        title = spec.title.format(ward=ward.name)
        movement = Movement.objects.filter(owner_unit=ward, title=title).first()
        if movement is None:
            with transaction.atomic():
                movement = services.create_movement(
                    actor,
                    title=title,
                    owner_unit=ward,
                    kind=spec.kind,
                    starts_on=spec.starts_on,
                    ends_on=spec.ends_on,
                    schedule=spec.schedule,
                    description=spec.description,
                    scope_kinds=[area] if area else None,
                    indicators=[
                        {
                            "name": spec.indicator,
                            "unit_of_measure": spec.measure,
                            "aggregation": "sum",
                        }
                    ],
                )
                services.launch_movement(actor, movement=movement, on=spec.launched_on)
        made.append(movement)
    return made
