"""Proposals upward: the rules of the services (checklist before sending, return for completion,
the outside decision, bad input), each refusal writing nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.factories.honors import approve, nominate, pdf
from tests.honors.upward.helpers import DATED, TODAY, UBND, complete
from thidua.core.models import AuditEvent, Notification
from thidua.honors import rules
from thidua.honors.models import (
    Certificate,
    Honour,
    Nomination,
    NominationDocument,
    OutsideBody,
    OutsideDecision,
    UpwardEvent,
    UpwardProposal,
)
from thidua.honors.services import upward
from thidua.honors.upward_rules import missing_documents
from thidua.honors.upward_selectors import verify_outside_honour

pytestmark = pytest.mark.django_db


def _actions(proposal):
    return list(proposal.events.values_list("action", flat=True))


def test_cannot_send_with_a_missing_required_document(proposal, people):
    audited = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        upward.send_upward_proposal(
            people["city_leader"], proposal=proposal, sent_on=DATED, channel="post"
        )
    assert "Minutes of the vote" in refused.value.messages[0]
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.sent_on is None
    assert _actions(proposal) == ["created"]
    assert AuditEvent.objects.count() == audited

    complete(proposal, people["city_officer"])
    upward.send_upward_proposal(
        people["city_leader"], proposal=proposal, sent_on=DATED, channel="post"
    )
    assert proposal.status == "sent"
    assert proposal.follow_up_due == DATED + dt.timedelta(days=proposal.rule.follow_up_days)


def test_a_nominee_document_missing_is_added_to_the_proposal(proposal, people, approved):
    NominationDocument.objects.filter(nomination=approved[1], kind="achievement_report").delete()
    complete(proposal, people["city_officer"])
    assert missing_documents(proposal) == ["Achievement report of Trần Văn Minh"]
    with pytest.raises(ValidationError):
        upward.send_upward_proposal(
            people["city_leader"], proposal=proposal, sent_on=DATED, channel="post"
        )
    entry = proposal.entries.get(nomination=approved[1])
    upward.add_upward_document(
        people["city_officer"],
        proposal=proposal,
        kind="achievement_report",
        file=pdf("bao-cao.pdf"),
        entry=entry,
    )
    assert missing_documents(proposal) == []


def test_return_for_completion_reopens_the_dossier_and_keeps_its_history(sent, people):
    upward.acknowledge_upward_proposal(people["city_officer"], proposal=sent, on=TODAY)
    upward.return_upward_proposal(
        people["city_officer"],
        proposal=sent,
        on=TODAY,
        reason="Bổ sung bản sao quyết định Bằng khen năm 2024.",
    )
    assert sent.status == "returned" and sent.is_open
    # the sender hears of it
    assert Notification.objects.filter(user=people["city_leader"]).exists()
    # the dossier may be completed again, then sent again
    upward.add_upward_document(
        people["city_officer"], proposal=sent, kind="other", file=pdf("quyet-dinh-2024.pdf")
    )
    upward.send_upward_proposal(
        people["city_leader"], proposal=sent, sent_on=TODAY, channel="by_hand"
    )
    assert _actions(sent) == ["created", "sent", "acknowledged", "returned", "resent"]
    returned = sent.events.get(action="returned")
    assert returned.reason == "Bổ sung bản sao quyết định Bằng khen năm 2024."
    first = sent.events.get(action="sent")
    assert first.channel == "document_system" and first.reference == "VB-2026-0042"
    assert sent.status == "sent" and sent.channel == "by_hand"


def test_a_return_needs_a_reason_and_writes_nothing_without_one(sent, people):
    with pytest.raises(ValidationError):
        upward.return_upward_proposal(people["city_officer"], proposal=sent, on=TODAY, reason=" ")
    sent.refresh_from_db()
    assert sent.status == "sent" and _actions(sent) == ["created", "sent"]


def _decide(sent, people, honoured, **changes):
    values = {
        "number": "5123/QĐ-UBND",
        "signed_on": TODAY,
        "signer": "Trần Sỹ Thanh",
        "honoured": honoured,
        "file": pdf("quyet-dinh.pdf"),
    }
    values.update(changes)
    return upward.record_outside_decision(people["city_leader"], proposal=sent, **values)


def _nothing_written(sent):
    sent.refresh_from_db()
    assert sent.status == "sent"
    assert not OutsideDecision.objects.exists()
    assert not Honour.objects.exists()
    assert not Nomination.objects.filter(status="conferred").exists()


def test_an_outside_decision_cannot_honour_someone_not_in_the_proposal(
    sent, people, tree, awards, council, upward_round
):
    stranger = nominate(
        upward_round, people["bode_officer"], tree["bo_de"], awards[UBND], nominee_name="Lê Thị Lan"
    )
    approve(stranger, people, council)
    with pytest.raises(ValidationError) as refused:
        _decide(sent, people, [stranger])
    assert "Lê Thị Lan was not in this proposal." in refused.value.message_dict["honoured"]
    _nothing_written(sent)


def test_the_decision_enters_the_registry_and_counts_in_eligibility(sent, people, approved):
    decision = _decide(sent, people, approved)
    assert sent.status == "decided"
    honours = list(Honour.objects.order_by("recipient_name"))
    assert [h.recipient_name for h in honours] == ["Nguyễn Thị Hoa", "Trần Văn Minh"]
    for honour in honours:
        assert honour.award_type.code == UBND
        assert honour.conferred_on == TODAY
        assert honour.outside_decision == decision and honour.decision is None
        assert honour.nomination.status == "conferred"
    assert not Certificate.objects.exists()  # the committee issues its own
    # the same award within its window is refused by the eligibility check
    first = approved[0]
    check = rules.check_eligibility(
        award_type=first.award_type,
        round=first.round,
        nominee_kind="person",
        nominee_name=first.nominee_name,
        birth_year=first.birth_year,
        unit=first.unit,
        under_discipline=False,
        on=TODAY + dt.timedelta(days=30),
        document_kinds={"proposal_letter", "achievement_report", "vote_minutes"},
    )
    assert any("Already received" in reason for reason in check.reasons)
    # verifiable on the public page with the decision number and the name
    found = verify_outside_honour("5123/qđ-ubnd", "nguyen thi hoa")
    assert found.status == "found" and found.honour.recipient_name == "Nguyễn Thị Hoa"
    assert verify_outside_honour("5123/QĐ-UBND", "Someone Else").status == "not_found"


def test_a_decision_may_honour_some_nominees_only(sent, people, approved):
    _decide(sent, people, approved[:1])
    assert list(sent.entries.order_by("order").values_list("honoured", flat=True)) == [
        True,
        False,
    ]
    assert Honour.objects.count() == 1


def test_a_decision_dated_before_the_proposal_is_refused_in_vietnamese(sent, people, approved):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        _decide(sent, people, approved, signed_on=DATED - dt.timedelta(days=1))
    message = refused.value.message_dict["signed_on"][0]
    assert "trước" in message  # "... trước ngày của tờ trình"
    _nothing_written(sent)


def test_a_decision_on_a_day_the_body_does_not_confer_the_award_is_refused(sent, people, approved):
    sent.rule.__class__.objects.filter(award_type=sent.award_type).update(valid_to=DATED)
    with pytest.raises(ValidationError) as refused:
        _decide(sent, people, approved)
    assert "does not confer" in refused.value.message_dict["signed_on"][0]
    _nothing_written(sent)


def test_a_body_that_does_not_confer_the_award_on_that_date_is_refused(
    tree, people, awards, approved
):
    government = OutsideBody.objects.get(code="chinh-phu")
    committee = OutsideBody.objects.get(code="ubnd-tp-ha-noi")
    for body, dated in ((government, DATED), (committee, dt.date(2020, 5, 4))):
        with pytest.raises(ValidationError) as refused:
            upward.create_upward_proposal(
                people["city_officer"],
                unit=tree["city"],
                body=body,
                award_type=awards[UBND],
                number="13/TTr",
                dated=dated,
                signer="Nguyễn Văn An",
                nominations=approved,
            )
        assert "does not confer" in refused.value.message_dict["body"][0]
    assert not UpwardProposal.objects.exists() and not UpwardEvent.objects.exists()


def test_only_approved_nominations_of_the_unit_and_once(tree, people, awards, proposal, approved):
    body = proposal.body
    with pytest.raises(ValidationError) as refused:
        upward.create_upward_proposal(
            people["city_officer"],
            unit=tree["city"],
            body=body,
            award_type=awards[UBND],
            number="14/TTr",
            dated=DATED,
            signer="Nguyễn Văn An",
            nominations=approved[:1],
        )
    assert "already in the proposal 12/TTr-MTTQ-BTT" in refused.value.messages[0]
    assert UpwardProposal.objects.count() == 1


def test_permissions(proposal, people):
    with pytest.raises(PermissionDenied):  # the officer prepares; the leader sends
        upward.send_upward_proposal(
            people["city_officer"], proposal=proposal, sent_on=DATED, channel="post"
        )
    with pytest.raises(PermissionDenied):  # a ward officer has no say on the city's dossier
        upward.add_upward_document(
            people["bode_officer"], proposal=proposal, kind="other", file=pdf()
        )


def test_overdue_follow_ups_reach_the_sender_once(sent, people):
    late = sent.follow_up_due + dt.timedelta(days=1)
    assert upward.send_follow_up_reminders(None, on=late) == 1
    assert upward.send_follow_up_reminders(None, on=late) == 0
    note = Notification.objects.filter(user=people["city_leader"]).latest("id")
    assert "12/TTr-MTTQ-BTT" in note.message


def test_approved_nominees_wait_in_the_leaders_inbox_until_proposed(
    tree, people, awards, approved, city_committee
):
    from thidua.core.work import WorkFilter
    from thidua.honors import upward_work, work

    def items():
        return work.nominations(people["city_leader"]).items(WorkFilter(), 50)

    waiting = [i for i in items() if i.url == "/honors/upward/new/"]
    assert len(waiting) == 2 and waiting[0].action == "Propose to the higher level"
    proposal = upward.create_upward_proposal(
        people["city_officer"],
        unit=tree["city"],
        body=city_committee,
        award_type=awards[UBND],
        number="30/TTr",
        dated=DATED,
        signer="Nguyễn Văn An",
        nominations=approved,
    )
    assert items() == []
    complete(proposal, people["city_officer"])
    upward.send_upward_proposal(
        people["city_leader"], proposal=proposal, sent_on=DATED, channel="post"
    )
    # the sender's follow-up appears once its date has passed
    late = WorkFilter(today=proposal.follow_up_due + dt.timedelta(days=1))
    source = upward_work.follow_ups(people["city_leader"])
    assert source.items(WorkFilter(), 10) == []
    upward.return_upward_proposal(people["city_officer"], proposal=proposal, on=TODAY, reason="x")
    returned = upward_work.follow_ups(people["city_leader"]).items(late, 10)
    assert [i.action for i in returned] == ["Complete the dossier and send it again"]
