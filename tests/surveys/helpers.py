"""Shared set-up for the survey tests: a city, a commune of residential areas, a questionnaire."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.factories import UserFactory, grant, make_unit
from thidua.surveys import services
from thidua.surveys.models import Survey

OPENS = dt.date(2024, 7, 11)
CLOSES = dt.date(2024, 7, 18)

QUESTIONS = [
    {"code": "Q1", "kind": "likert", "text_vi": "Mức độ hài lòng", "required": True},
    {
        "code": "Q2",
        "kind": "multiple",
        "text_vi": "Những việc đã làm tốt",
        "options": [
            {"code": "road", "vi": "Đường giao thông", "en": "Roads"},
            {"code": "light", "vi": "Chiếu sáng", "en": "Street lights"},
            {"code": "clean", "vi": "Vệ sinh môi trường", "en": "Cleanliness"},
        ],
    },
    {
        "code": "Q3",
        "kind": "single",
        "text_vi": "Vì sao chưa hài lòng",
        "options": [{"code": "a", "vi": "Chậm"}, {"code": "b", "vi": "Thiếu"}],
        "condition": {"question": "Q1", "in": ["1", "2"]},
    },
    {"code": "Q4", "kind": "text", "text_vi": "Góp ý", "public": False},
]


def commune(*, areas: list[int], name: str = "Xã Phù Lưu Tế", code: str = "10507"):
    from thidua.org.models import Unit

    city = Unit.objects.filter(code="01").first() or make_unit(
        "Hà Nội", code="01", kind_code="province"
    )
    district = make_unit(f"Huyện {code}", parent=city, code=f"d{code}")
    ward = make_unit(name, parent=district, code=code, kind_code="ward")
    units = [
        make_unit(
            f"Thôn {i + 1}",
            parent=ward,
            code=f"{code}-{i + 1:02d}",
            kind_code="residential_area",
            households=n,
        )
        for i, n in enumerate(areas)
    ]
    return city, district, ward, units


def staff(unit, role: str = "officer", username: str | None = None):
    user = UserFactory(username=username or f"{role}-{unit.code}")
    grant(user, role, unit)
    return user


def questionnaire(actor, unit):
    return services.create_questionnaire(
        actor,
        owner_unit=unit,
        title="Sự hài lòng về xây dựng nông thôn mới",
        purpose="ntm_satisfaction",
        questions=QUESTIONS,
        pass_question="Q1",
        pass_options=["4", "5"],
        pass_threshold="0.8",
    )


def launch(actor, unit, *, mode=Survey.Mode.ANONYMOUS, sample_size=None, **extra) -> Survey:
    return services.launch_survey(
        actor,
        questionnaire=questionnaire(actor, unit),
        unit=unit,
        title="Lấy ý kiến sự hài lòng 2024",
        opens_on=OPENS,
        closes_on=CLOSES,
        mode=mode,
        method=Survey.Method.DOOR_TO_DOOR,
        sample_size=sample_size,
        **extra,
    )


def forms(satisfied: int, other: int = 0, *, codes=None):
    rows = [
        {"client_id": str(uuid.uuid4()), "answers": {"Q1": "5", "Q2": ["road", "light"]}}
        for _ in range(satisfied)
    ]
    rows += [
        {"client_id": str(uuid.uuid4()), "answers": {"Q1": "2", "Q3": "a"}} for _ in range(other)
    ]
    if codes:
        for row, code in zip(rows, codes, strict=False):
            row["household_code"] = code
    return rows


def key(actor, survey, area, rows, *, batch=None):
    return services.key_batch(
        actor, survey=survey, area=area, client_id=batch or uuid.uuid4(), forms=rows
    )
