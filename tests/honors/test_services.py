import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories.honors import approve, documents, nominate, to_council
from thidua.core.models import AuditEvent, Notification
from thidua.honors import selectors, services
from thidua.honors.models import (
    AwardRule,
    Ballot,
    Certificate,
    Decision,
    Honour,
    Nomination,
    NominationDocument,
)

pytestmark = pytest.mark.django_db


def test_catalogue_is_seeded_with_two_rule_versions(awards):
    assert {"bang-khen", "giay-khen", "chien-si-thi-dua-co-so", "lao-dong-tien-tien"} <= set(awards)
    assert {"co-thi-dua", "khu-dan-cu-van-hoa", "gia-dinh-van-hoa"} <= set(awards)
    fighter = awards["chien-si-thi-dua-co-so"]
    old = services.rule_in_force(fighter, dt.date(2024, 6, 1))
    new = services.rule_in_force(fighter, dt.date(2025, 7, 1))
    assert "98/2023" in old.legal_basis and "152/2025" in new.legal_basis
    assert new.vote_share == Decimal("0.8") and new.secret_ballot
    assert awards["lao-dong-tien-tien"].cash_coefficient == Decimal("0.3")
    assert services.base_salary_on(dt.date(2024, 7, 1)) == Decimal(2_340_000)


def test_a_2024_nomination_is_judged_by_the_old_rule(tree, people, city_round, awards):
    kinds = ["proposal_letter", "achievement_report"]  # no minutes: enough under 98/2023
    nomination = nominate(
        city_round,
        people["bode_officer"],
        tree["bo_de"],
        awards["bang-khen"],
        documents=documents(kinds),
        on=dt.date(2024, 5, 1),
    )
    assert nomination.status == Nomination.Status.DRAFT
    with pytest.raises(ValidationError) as error:
        nominate(
            city_round,
            people["bode_officer"],
            tree["bo_de"],
            awards["bang-khen"],
            nominee_name="Trần Văn Nam",
            documents=documents(kinds),
        )
    assert "Missing documents: Minutes of the vote." in error.value.messages


def test_missing_documents_are_refused_and_nothing_is_written(tree, people, city_round, awards):
    before = (
        Nomination.objects.count(),
        NominationDocument.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ValidationError) as error:
        nominate(
            city_round,
            people["bode_officer"],
            tree["bo_de"],
            awards["chien-si-thi-dua-co-so"],
            documents=documents(["proposal_letter"]),
        )
    assert any(m.startswith("Missing documents:") for m in error.value.messages)
    after = (
        Nomination.objects.count(),
        NominationDocument.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_eligibility_refusals_state_their_reasons(tree, people, city_round, awards):
    fighter = awards["chien-si-thi-dua-co-so"]
    services.record_honour(
        people["city_leader"],
        award_type=fighter,
        recipient_name="Nguyễn Thị Hoa",
        birth_year=1980,
        unit=tree["bo_de"],
        conferred_on=timezone.localdate() - dt.timedelta(days=100),
    )
    with pytest.raises(ValidationError) as error:
        nominate(city_round, people["bode_officer"], tree["bo_de"], fighter, under_discipline=True)
    messages = error.value.messages
    assert "Nobody is honoured while under discipline or investigation." in messages
    assert any("not the same award within 1 years" in m for m in messages)
    advanced_worker = awards.get("lao-dong-tien-tien")
    assert any(m.startswith("Requires ") for m in messages), messages
    if advanced_worker is not None:
        assert any(advanced_worker.name in m for m in messages)
    assert Nomination.objects.count() == 0


def test_ad_hoc_honour_is_not_a_basis_for_a_merit_award(tree, people, city_round, awards):
    fighter, advanced = awards["chien-si-thi-dua-co-so"], awards["lao-dong-tien-tien"]
    services.record_honour(
        people["city_leader"],
        award_type=advanced,
        recipient_name="Lê Văn Bình",
        birth_year=1980,
        unit=tree["bo_de"],
        conferred_on=timezone.localdate() - dt.timedelta(days=30),
        kind="ad_hoc",
    )
    with pytest.raises(ValidationError) as error:
        nominate(
            city_round, people["bode_officer"], tree["bo_de"], fighter, nominee_name="Le Van Binh"
        )
    assert any("not a basis for a merit award" in m for m in error.value.messages)
    services.record_honour(
        people["city_leader"],
        award_type=advanced,
        recipient_name="Lê Văn Bình",
        birth_year=1980,
        unit=tree["bo_de"],
        conferred_on=timezone.localdate() - dt.timedelta(days=20),
    )
    nomination = nominate(
        city_round, people["bode_officer"], tree["bo_de"], fighter, nominee_name="Lê Văn Bình"
    )
    assert nomination.pk


def test_quota_per_round_limits_recipients_not_proposals(tree, people, city_round, awards):
    AwardRule.objects.filter(award_type=awards["bang-khen"]).update(quota_per_round=1)
    first = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    second = nominate(
        city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"], nominee_name="C"
    )
    approve(first, people, city_round.council)
    approve(second, people, city_round.council, yes=4)
    issue = dict(round=city_round, signed_on=dt.date(2026, 3, 1), signer="A")
    with pytest.raises(ValidationError) as error:
        services.issue_decision(
            people["city_leader"], number="1", nominations=[first, second], **issue
        )
    assert any("C is outside the quota of 1" in m for m in error.value.messages)
    services.issue_decision(people["city_leader"], number="1", nominations=[first], **issue)
    with pytest.raises(ValidationError) as error:
        nominate(
            city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"], nominee_name="D"
        )
    assert any("quota of 1" in m and "already conferred" in m for m in error.value.messages)


def test_a_unit_cannot_confer_an_award_reserved_to_a_higher_level(tree, people, awards):
    with pytest.raises(ValidationError) as error:
        services.create_round(
            people["bode_officer"],
            title="Khen thưởng phường",
            kind="regular",
            owner_unit=tree["bo_de"],
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 12, 31),
            award_types=[awards["bang-khen"]],
        )
    assert "reserved to another level" in error.value.messages[0]
    ward_round = services.create_round(
        people["bode_officer"],
        title="Khen thưởng phường",
        kind="regular",
        owner_unit=tree["bo_de"],
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
        award_types=[awards["giay-khen"]],
    )
    assert ward_round.pk


def test_nominating_outside_ones_scope_is_refused(tree, people, city_round, awards):
    with pytest.raises(PermissionDenied):
        nominate(city_round, people["quangan_officer"], tree["bo_de"], awards["bang-khen"])


def test_the_dossier_goes_up_level_by_level_and_a_return_keeps_history(
    tree, people, city_round, awards
):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    with pytest.raises(PermissionDenied):
        services.endorse_nomination(people["bode_officer"], nomination=nomination)
    with pytest.raises(PermissionDenied):  # not yet at the district's level... the ward's leader
        services.endorse_nomination(people["editor"], nomination=nomination)
    services.endorse_nomination(people["bode_leader"], nomination=nomination)
    assert nomination.current_unit == tree["long_bien"]
    with pytest.raises(PermissionDenied):
        services.endorse_nomination(people["bode_leader"], nomination=nomination)
    with pytest.raises(ValidationError):
        services.return_nomination(people["lb_leader"], nomination=nomination, reason=" ")
    services.return_nomination(
        people["lb_leader"], nomination=nomination, reason="Bổ sung biên bản họp"
    )
    assert nomination.status == Nomination.Status.RETURNED
    assert nomination.current_unit == tree["bo_de"]
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    services.endorse_nomination(people["bode_leader"], nomination=nomination)
    services.endorse_nomination(people["lb_leader"], nomination=nomination)
    assert nomination.status == Nomination.Status.AT_COUNCIL
    actions = list(nomination.events.values_list("action", "reason"))
    assert actions == [
        ("created", ""),
        ("submitted", ""),
        ("endorsed", ""),
        ("returned", "Bổ sung biên bản họp"),
        ("submitted", ""),
        ("endorsed", ""),
        ("endorsed", ""),
    ]
    assert Notification.objects.filter(user=people["bode_officer"]).count() == 1


def test_reject(tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    services.submit_nomination(people["bode_officer"], nomination=nomination)
    services.reject_nomination(people["bode_leader"], nomination=nomination, reason="Trùng")
    assert nomination.status == Nomination.Status.REJECTED
    with pytest.raises(ValidationError):
        services.endorse_nomination(people["bode_leader"], nomination=nomination)


def test_secret_ballot_counts_all_members_and_hides_choices(tree, people, city_round, awards):
    services.record_honour(
        people["city_leader"],
        award_type=awards["lao-dong-tien-tien"],
        recipient_name="Nguyễn Thị Hoa",
        birth_year=1980,
        unit=tree["bo_de"],
        conferred_on=timezone.localdate() - dt.timedelta(days=10),
    )
    nomination = nominate(
        city_round, people["bode_officer"], tree["bo_de"], awards["chien-si-thi-dua-co-so"]
    )
    to_council(nomination, people)
    council = city_round.council
    chair, secretary, *members = council.users
    services.cast_vote(chair, nomination=nomination, choice="yes")
    services.cast_vote(secretary, nomination=nomination, choice="yes")
    with pytest.raises(ValidationError):
        services.cast_vote(secretary, nomination=nomination, choice="no")
    with pytest.raises(PermissionDenied):
        services.cast_vote(people["bode_officer"], nomination=nomination, choice="yes")
    seat = council.members.get(user=members[0])
    services.cast_vote(secretary, nomination=nomination, choice="yes", member=seat, written=True)
    with pytest.raises(PermissionDenied):  # a plain member cannot record written opinions
        services.cast_vote(
            members[1], nomination=nomination, choice="yes", member=seat, written=True
        )
    assert set(Ballot.objects.values_list("choice", flat=True)) == {""}
    vote = services.close_vote(secretary, nomination=nomination)
    # 3 yes of 5 members (two did not vote): 80% of ALL members needs 4.
    assert (vote.yes, vote.members, vote.needed, vote.passed) == (3, 5, 4, False)
    assert nomination.status == Nomination.Status.NOT_APPROVED


def test_decision_totals_cash_and_issues_certificates(tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    vote = approve(nomination, people, city_round.council, yes=4)
    assert vote.passed and vote.needed == 4
    with pytest.raises(PermissionDenied):
        services.issue_decision(
            people["city_officer"],
            round=city_round,
            number="12/QĐ-MTTQ",
            signed_on=dt.date(2026, 3, 1),
            signer="Nguyễn Văn A",
            nominations=[nomination],
        )
    decision = services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="12/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
    assert decision.total_cash == Decimal(2_340_000)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.CONFERRED
    certificate = Certificate.objects.get(honour__decision=decision)
    assert len(certificate.content_hash) == 64
    assert selectors.verify_certificate(certificate.serial, certificate.content_hash).is_valid


def test_decision_number_reuse_is_refused_and_writes_nothing(tree, people, city_round, awards):
    first = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(first, people, city_round.council)
    services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="12/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="A",
        nominations=[first],
    )
    second = nominate(
        city_round,
        people["bode_officer"],
        tree["bo_de"],
        awards["bang-khen"],
        nominee_name="Trần Văn Nam",
    )
    approve(second, people, city_round.council)
    counts = (Decision.objects.count(), Honour.objects.count(), Certificate.objects.count())
    with pytest.raises(ValidationError) as error:
        services.issue_decision(
            people["city_leader"],
            round=city_round,
            number=" 12/QĐ-MTTQ ",
            signed_on=dt.date(2026, 3, 2),
            signer="A",
            nominations=[second],
        )
    assert error.value.message_dict["number"] == ["Decision number 12/QĐ-MTTQ is already used."]
    assert (Decision.objects.count(), Honour.objects.count(), Certificate.objects.count()) == counts
    second.refresh_from_db()
    assert second.status == Nomination.Status.APPROVED


def test_verification_good_altered_and_revoked(tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    decision = services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="1/QĐ",
        signed_on=dt.date(2026, 3, 1),
        signer="A",
        nominations=[nomination],
    )
    certificate = Certificate.objects.get(honour__decision=decision)
    good = selectors.verify_certificate(certificate.serial, certificate.content_hash)
    assert good.status == "valid"
    altered = "0" + certificate.content_hash[1:]
    assert selectors.verify_certificate(certificate.serial, altered).status == "wrong_code"
    assert selectors.verify_certificate(
        certificate.serial + "9", certificate.content_hash
    ).status == ("not_found")
    # The stored content edited behind the service's back no longer matches its hash.
    Honour.objects.filter(pk=certificate.honour_id).update(recipient_name="Someone else")
    assert selectors.verify_certificate(certificate.serial, certificate.content_hash).status == (
        "invalid"
    )
    Honour.objects.filter(pk=certificate.honour_id).update(recipient_name="Nguyễn Thị Hoa")
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(people["bode_leader"], certificate=certificate, reason="x")
    services.revoke_certificate(people["city_leader"], certificate=certificate, reason="Sai sót")
    result = selectors.verify_certificate(certificate.serial, certificate.content_hash)
    assert result.status == "revoked"
    assert Honour.objects.get(pk=certificate.honour_id).revoked_at is not None


def test_certificate_pdf_contains_serial_and_name(tree, people, city_round, awards):
    import io

    from pypdf import PdfReader

    from thidua.honors.certificates import certificate_pdf

    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    decision = services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="1/QĐ",
        signed_on=dt.date(2026, 3, 1),
        signer="A",
        nominations=[nomination],
    )
    certificate = Certificate.objects.get(honour__decision=decision)
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate, base_url="http://testserver")))
    page = reader.pages[0]
    text = page.extract_text()
    assert certificate.serial in text
    assert "Nguyễn Thị Hoa" in text
    assert page.mediabox.width > page.mediabox.height  # landscape
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
    assert f"http://testserver/p/verify/{certificate.serial}/?h={certificate.content_hash}" in uris
