"""Builders of commendation objects through the services: a dossier with its documents, taken to
the council, approved by its vote."""

from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.honors import services
from thidua.honors.models import DocumentKind

ALL_DOCUMENTS = [k for k in DocumentKind.values if k != DocumentKind.OTHER]


def pdf(name: str = "dossier.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test\n%%EOF\n", content_type="application/pdf")


def documents(kinds=ALL_DOCUMENTS) -> list:
    return [(kind, pdf(f"{kind}.pdf")) for kind in kinds]


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
