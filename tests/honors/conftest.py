import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import UserFactory, ensure_kinds, grant
from thidua.honors import services
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import AwardType, DocumentKind
from thidua.initiatives.services import create_council

ALL_DOCUMENTS = [k for k in DocumentKind.values if k != DocumentKind.OTHER]


def pdf(name: str = "dossier.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test\n%%EOF\n", content_type="application/pdf")


def documents(kinds=ALL_DOCUMENTS) -> list:
    return [(kind, pdf(f"{kind}.pdf")) for kind in kinds]


@pytest.fixture
def awards(db):
    ensure_kinds()  # after a transactional test flushed them, the catalogue needs them first
    ensure_catalogue()
    return {a.code: a for a in AwardType.objects.all()}


@pytest.fixture
def people(db, tree):
    users = {
        "city_officer": ("officer", "city"),
        "city_leader": ("leader", "city"),
        "bode_officer": ("officer", "bo_de"),
        "bode_leader": ("leader", "bo_de"),
        "lb_leader": ("leader", "long_bien"),
        "quangan_officer": ("officer", "quang_an"),
        "editor": ("editor", "city"),
    }
    made = {}
    for username, (role, unit) in users.items():
        made[username] = UserFactory(username=username.replace("_", "-"))
        grant(made[username], role, tree[unit])
    return made


@pytest.fixture
def council(db, tree, people):
    members = [UserFactory(username=f"member-{i}") for i in range(5)]
    council = create_council(
        people["city_officer"],
        owner_unit=tree["city"],
        name="Hội đồng Thi đua - Khen thưởng thành phố",
        members=[
            {"user": members[0], "role": "chair"},
            {"user": members[1], "role": "secretary"},
            *({"user": m, "role": "member"} for m in members[2:]),
        ],
    )
    council.users = members
    return council


@pytest.fixture
def city_round(db, tree, people, awards, council):
    return services.create_round(
        people["city_officer"],
        title="Khen thưởng thường xuyên 2024–2026",
        kind="regular",
        owner_unit=tree["city"],
        opens_on=dt.date(2024, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=365),
        award_types=[awards["bang-khen"], awards["chien-si-thi-dua-co-so"]],
        council=council,
    )


def nominate(round_, actor, unit, award, **extra):
    values = {
        "nominee_kind": "person",
        "nominee_name": "Nguyễn Thị Hoa",
        "achievements": "Vận động 120 hộ tham gia mô hình phân loại rác.",
        "documents": documents(),
        "gender": "female",
        "is_direct_worker": True,
        "birth_year": 1980,
    }
    values.update(extra)
    return services.nominate(actor, round=round_, award_type=award, unit=unit, **values)


def to_council(nomination, people):
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    services.endorse_nomination(people["bode_leader"], nomination=nomination)
    services.endorse_nomination(people["lb_leader"], nomination=nomination)
    return nomination


def approve(nomination, people, council, yes=5):
    to_council(nomination, people)
    for index, user in enumerate(council.users):
        services.cast_vote(user, nomination=nomination, choice="yes" if index < yes else "no")
    return services.close_vote(council.users[1], nomination=nomination)


@pytest.fixture(autouse=True)
def english(settings, client):
    """These tests read the English messages: run them, and the pages they open, in English
    (the Vietnamese and Indonesian catalogues are checked elsewhere)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
