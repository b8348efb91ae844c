"""The seeded Vietnamese award catalogue (Law 06/2022/QH15, Decrees 98/2023 and 152/2025,
Decree 86/2023). Seed values only: administrators edit them, and official texts prevail.

Two rule versions per award: Decree 98/2023 up to 30 June 2025, Decree 152/2025 from 1 July 2025
(which also asks for the minutes of the vote in every dossier for a certificate of merit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

OLD_FROM = dt.date(2023, 12, 31)
OLD_TO = dt.date(2025, 6, 30)
NEW_FROM = dt.date(2025, 7, 1)
OLD_BASIS = "Nghị định 98/2023/NĐ-CP"
NEW_BASIS = "Nghị định 152/2025/NĐ-CP"

BASE_SALARIES = [
    (dt.date(2023, 7, 1), Decimal(1_800_000), "Nghị định 24/2023/NĐ-CP"),
    (dt.date(2024, 7, 1), Decimal(2_340_000), "Nghị định 73/2024/NĐ-CP"),
]

LETTER = "proposal_letter"
REPORT = "achievement_report"
MINUTES = "vote_minutes"
PROOF = "initiative_proof"

# code, vi, en, id, kind, (person, household, collective), conferring kinds, coefficient,
# rule (shared by both versions unless overridden in "new").
AWARD_TYPES: list[dict] = [
    {
        "code": "bang-khen",
        "names": ("Bằng khen", "Certificate of merit", "Piagam penghargaan"),
        "kind": "merit",
        "recipients": (True, True, True),
        "conferring": ["province"],
        "coefficient": Decimal("1.0"),
        "rule": {
            "required_documents": [LETTER, REPORT],
            "vote_share": Decimal("0.7"),
            "short_path": True,
        },
        "new": {"required_documents": [LETTER, REPORT, MINUTES]},
    },
    {
        "code": "giay-khen",
        "names": ("Giấy khen", "Letter of commendation", "Surat penghargaan"),
        "kind": "merit",
        "recipients": (True, True, True),
        "conferring": ["district", "ward"],
        "coefficient": Decimal("0.3"),
        "rule": {
            "required_documents": [LETTER, REPORT],
            "vote_share": Decimal("0.5"),
            "strictly_more": True,
            "short_path": True,
        },
    },
    {
        "code": "chien-si-thi-dua-co-so",
        "names": (
            "Chiến sĩ thi đua cơ sở",
            "Grassroots emulation fighter",
            "Pejuang emulasi tingkat dasar",
        ),
        "kind": "merit",
        "recipients": (True, False, False),
        "conferring": ["province", "district", "ward"],
        "coefficient": Decimal("1.0"),
        "rule": {
            "window_years": 1,
            "prerequisites": ["lao-dong-tien-tien"],
            "prerequisite_years": 1,
            "required_documents": [LETTER, REPORT, MINUTES, PROOF],
            "vote_share": Decimal("0.8"),
            "secret_ballot": True,
        },
    },
    {
        "code": "lao-dong-tien-tien",
        "names": ("Lao động tiên tiến", "Advanced worker", "Pekerja teladan"),
        "kind": "merit",
        "recipients": (True, False, False),
        "conferring": ["province", "district", "ward"],
        "coefficient": Decimal("0.3"),
        "rule": {
            "window_years": 1,
            "required_documents": [LETTER, REPORT],
            "vote_share": Decimal("0.5"),
            "strictly_more": True,
        },
    },
    {
        "code": "co-thi-dua",
        "names": ("Cờ thi đua", "Emulation flag", "Bendera emulasi"),
        "kind": "merit",
        "recipients": (False, False, True),
        "conferring": ["province"],
        "coefficient": Decimal("1.5"),
        "rule": {
            "window_years": 1,
            "required_documents": [LETTER, REPORT, MINUTES],
            "vote_share": Decimal("0.8"),
            "secret_ballot": True,
        },
    },
    {
        "code": "khu-dan-cu-van-hoa",
        "names": (
            "Khu dân cư văn hóa",
            "Cultural village / residential group",
            "Kawasan perumahan berbudaya",
        ),
        "kind": "thematic",
        "recipients": (False, False, True),
        "conferring": ["ward"],
        "coefficient": Decimal("1.5"),
        "rule": {
            "window_years": 1,
            "required_documents": [LETTER, REPORT],
            "vote_share": Decimal("0.5"),
            "strictly_more": True,
            "public_notice_days": 10,
        },
    },
    {
        "code": "gia-dinh-van-hoa",
        "names": ("Gia đình văn hóa", "Cultural family", "Keluarga berbudaya"),
        "kind": "thematic",
        "recipients": (False, True, False),
        "conferring": ["ward"],
        "coefficient": Decimal("0"),
        "rule": {
            "window_years": 1,
            "required_documents": [LETTER],
            "vote_share": Decimal("0.5"),
            "strictly_more": True,
            "public_notice_days": 10,
        },
    },
]


def seed(AwardType, AwardRule, BaseSalary, UnitKind) -> None:  # noqa: N803 (historical models)
    """Idempotent: creates what is missing, leaves edited rows alone."""
    for valid_from, amount, basis in BASE_SALARIES:
        BaseSalary.objects.get_or_create(
            valid_from=valid_from, defaults={"amount": amount, "legal_basis": basis}
        )
    kinds = {kind.code: kind for kind in UnitKind.objects.all()}
    types = {}
    for order, spec in enumerate(AWARD_TYPES):
        vi, en, id_ = spec["names"]
        person, household, collective = spec["recipients"]
        award, created = AwardType.objects.get_or_create(
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
                "order": order,
            },
        )
        if created:
            award.conferring_kinds.set([kinds[c] for c in spec["conferring"] if c in kinds])
        types[spec["code"]] = award
    for spec in AWARD_TYPES:
        award = types[spec["code"]]
        versions = [
            (OLD_FROM, OLD_TO, OLD_BASIS, spec["rule"]),
            (NEW_FROM, None, NEW_BASIS, {**spec["rule"], **spec.get("new", {})}),
        ]
        # Fields added after a migration that seeds are left out there (historical models).
        fields = {f.name for f in AwardRule._meta.get_fields()}
        for valid_from, valid_to, basis, values in versions:
            values = dict(values)
            prerequisites = values.pop("prerequisites", [])
            values = {key: value for key, value in values.items() if key in fields}
            rule, created = AwardRule.objects.get_or_create(
                award_type=award,
                valid_from=valid_from,
                defaults={"valid_to": valid_to, "legal_basis": basis, **values},
            )
            if created and prerequisites:
                rule.prerequisites.set([types[code] for code in prerequisites])


def seed_short_path(AwardRule) -> None:  # noqa: N803 (historical models)
    """The short path of ad hoc awards on the seeded awards that allow it (Law 06/2022/QH15:
    ad hoc commendation follows a simplified procedure)."""
    codes = [spec["code"] for spec in AWARD_TYPES if spec["rule"].get("short_path")]
    AwardRule.objects.filter(award_type__code__in=codes).update(short_path=True)


def ensure_catalogue() -> None:
    """Seed with the live models (tests that flush the database, the demo command)."""
    from thidua.honors.models import AwardRule, AwardType, BaseSalary
    from thidua.org.models import UnitKind

    seed(AwardType, AwardRule, BaseSalary, UnitKind)
    from thidua.honors.upward_catalogue import ensure_outside_catalogue

    ensure_outside_catalogue()  # the bodies outside the Front and the awards they confer
