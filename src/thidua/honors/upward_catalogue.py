"""The seeded bodies outside the Front that confer the awards it proposes ("khen cao"), the award
types they confer and the dossier each asks for (Law 06/2022/QH15; Decree 98/2023/NĐ-CP up to
30 June 2025, Decree 152/2025/NĐ-CP from 1 July 2025). Seed values only: administrators edit
them, and official texts prevail.

The outside award types enter the same catalogue as the Front's own (`AwardType`), with rules
for the Front's council (`AwardRule`: window, vote share, the nomination's documents) but no unit
kind of the Front that may confer them: the Front only proposes them, through a proposal upward.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from thidua.honors.catalogue import NEW_BASIS, NEW_FROM, OLD_BASIS, OLD_FROM, OLD_TO

LETTER = "proposal_letter"
REPORT = "achievement_report"
MINUTES = "vote_minutes"

OUTSIDE_AWARD_TYPES: list[dict] = [
    {
        "code": "bang-khen-chu-tich-ubnd-tp",
        "names": (
            "Bằng khen của Chủ tịch UBND Thành phố",
            "Certificate of merit of the Chairman of the City People's Committee",
            "Piagam penghargaan Ketua Komite Rakyat Kota",
        ),
        "kind": "merit",
        "recipients": (True, True, True),
        "coefficient": Decimal("1.0"),
        "rule": {
            "window_years": 1,
            "required_documents": [LETTER, REPORT],
            "vote_share": Decimal("0.7"),
        },
        "new": {"required_documents": [LETTER, REPORT, MINUTES]},
    },
    {
        "code": "bang-khen-thu-tuong",
        "names": (
            "Bằng khen của Thủ tướng Chính phủ",
            "Certificate of merit of the Prime Minister",
            "Piagam penghargaan Perdana Menteri",
        ),
        "kind": "merit",
        "recipients": (True, True, True),
        "coefficient": Decimal("5.0"),
        "rule": {
            "window_years": 2,
            "required_documents": [LETTER, REPORT, MINUTES],
            "vote_share": Decimal("0.8"),
            "secret_ballot": True,
        },
    },
    {
        "code": "co-thi-dua-chinh-phu",
        "names": (
            "Cờ thi đua của Chính phủ",
            "Emulation flag of the Government",
            "Bendera emulasi Pemerintah",
        ),
        "kind": "merit",
        "recipients": (False, False, True),
        "coefficient": Decimal("12.0"),
        "rule": {
            "window_years": 1,
            "required_documents": [LETTER, REPORT, MINUTES],
            "vote_share": Decimal("0.9"),
            "secret_ballot": True,
        },
    },
    {
        "code": "huan-chuong-lao-dong-hang-ba",
        "names": (
            "Huân chương Lao động hạng Ba",
            "Labour Order, third class",
            "Bintang Jasa Tenaga Kerja kelas tiga",
        ),
        "kind": "merit",
        "recipients": (True, False, True),
        "coefficient": Decimal("4.5"),
        "rule": {
            "window_years": 5,
            "required_documents": [LETTER, REPORT, MINUTES],
            "vote_share": Decimal("0.9"),
            "secret_ballot": True,
        },
    },
]

# code, names, addressee, valid from, {award code: (copies, follow-up days)}
OUTSIDE_BODIES: list[dict] = [
    {
        "code": "ubnd-tp-ha-noi",
        "names": (
            "Ủy ban nhân dân thành phố Hà Nội",
            "Hà Nội People's Committee",
            "Komite Rakyat Kota Hanoi",
        ),
        "addressee": "Chủ tịch Ủy ban nhân dân thành phố Hà Nội",
        "valid_from": dt.date(2008, 8, 1),
        "awards": {"bang-khen-chu-tich-ubnd-tp": (1, 30)},
    },
    {
        "code": "chinh-phu",
        "names": (
            "Chính phủ (Ban Thi đua - Khen thưởng Trung ương)",
            "The Government (Central Emulation and Commendation Board)",
            "Pemerintah (Badan Emulasi dan Penghargaan Pusat)",
        ),
        "addressee": "Thủ tướng Chính phủ (qua Ban Thi đua - Khen thưởng Trung ương)",
        "valid_from": dt.date(2003, 11, 26),
        "awards": {"bang-khen-thu-tuong": (2, 60), "co-thi-dua-chinh-phu": (2, 60)},
    },
    {
        "code": "chu-tich-nuoc",
        "names": (
            "Chủ tịch nước (Văn phòng Chủ tịch nước)",
            "The State President (Office of the President)",
            "Presiden Negara (Kantor Presiden)",
        ),
        "addressee": "Chủ tịch nước Cộng hòa xã hội chủ nghĩa Việt Nam",
        "valid_from": dt.date(2003, 11, 26),
        "awards": {"huan-chuong-lao-dong-hang-ba": (2, 90)},
    },
]

OLD_ANNEX = "Danh sách đề nghị khen thưởng (mẫu kèm Nghị định 98/2023/NĐ-CP)"
NEW_ANNEX = "Danh sách đề nghị khen thưởng (mẫu kèm Nghị định 152/2025/NĐ-CP)"
NOMINEE_DOCUMENTS = [REPORT]
DOSSIER_DOCUMENTS = [MINUTES]


def seed(  # noqa: N803 (historical models)
    AwardType, AwardRule, OutsideBody, OutsideAwardRule, UnitKind
) -> None:
    """Idempotent: creates what is missing, leaves edited rows alone."""
    types = {}
    for order, spec in enumerate(OUTSIDE_AWARD_TYPES):
        vi, en, id_ = spec["names"]
        person, household, collective = spec["recipients"]
        award, _created = AwardType.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name_vi": vi,
                "name_en": en,
                "name_id": id_,
                "kind": spec["kind"],
                "for_person": person,
                "for_household": household,
                "for_collective": collective,
                "cash_coefficient": spec["coefficient"],
                "order": 100 + order,
            },
        )
        types[spec["code"]] = award
        fields = {f.name for f in AwardRule._meta.get_fields()}
        for valid_from, valid_to, basis, values in (
            (OLD_FROM, OLD_TO, OLD_BASIS, spec["rule"]),
            (NEW_FROM, None, NEW_BASIS, {**spec["rule"], **spec.get("new", {})}),
        ):
            values = {key: value for key, value in values.items() if key in fields}
            AwardRule.objects.get_or_create(
                award_type=award,
                valid_from=valid_from,
                defaults={"valid_to": valid_to, "legal_basis": basis, **values},
            )
    province = UnitKind.objects.filter(code="province").first()
    for order, spec in enumerate(OUTSIDE_BODIES):
        vi, en, id_ = spec["names"]
        body, _created = OutsideBody.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name_vi": vi,
                "name_en": en,
                "name_id": id_,
                "addressee": spec["addressee"],
                "valid_from": spec["valid_from"],
                "order": order,
            },
        )
        for code, (copies, follow_up) in spec["awards"].items():
            for valid_from, valid_to, basis, annex in (
                (OLD_FROM, OLD_TO, OLD_BASIS, OLD_ANNEX),
                (NEW_FROM, None, NEW_BASIS, NEW_ANNEX),
            ):
                rule, created = OutsideAwardRule.objects.get_or_create(
                    body=body,
                    award_type=types[code],
                    valid_from=valid_from,
                    defaults={
                        "valid_to": valid_to,
                        "legal_basis": basis,
                        "nominee_documents": NOMINEE_DOCUMENTS,
                        "dossier_documents": DOSSIER_DOCUMENTS,
                        "copies": copies,
                        "annex_form": annex,
                        "follow_up_days": follow_up,
                    },
                )
                if created and province is not None:
                    rule.proposing_kinds.set([province])


def ensure_outside_catalogue() -> None:
    """Seed with the live models (tests that flush the database, the demo command)."""
    from thidua.honors.models import AwardRule, AwardType, OutsideAwardRule, OutsideBody
    from thidua.org.models import UnitKind

    seed(AwardType, AwardRule, OutsideBody, OutsideAwardRule, UnitKind)
