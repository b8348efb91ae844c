"""Calls for initiatives: the public form and an officer's entry, up to the applicant's withdrawal.

(Split by topic from the former `test_services.py`; the services and selectors are those the
views and the API call.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import make_unit
from tests.factories.initiatives import (
    enter,
    open_call,
)
from thidua.core.models import AuditEvent
from thidua.initiatives import services
from thidua.initiatives.models import (
    Attachment,
    Call,
    Submission,
)

pytestmark = pytest.mark.django_db

S = Submission.Status
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "giai-phap.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def verbs(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


@pytest.fixture
def media(file_storages):
    """Both storages: nothing may land in either when a file is refused."""
    return file_storages["private"].parent


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


# --- public submission ----------------------------------------------------------------------


def test_public_submission_stays_draft_until_the_email_link_is_confirmed(
    call, data, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit_initiative(anonymous, call=call, data=data())
    submission.refresh_from_db()
    assert submission.status == S.DRAFT
    assert submission.submitted_at is None and submission.email_confirmed_at is None
    assert submission.entered_by is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.org"]
    assert f"/p/submissions/{submission.token}/" in message.body
    assert str(submission.number) in message.subject
    # a draft is not on the secretariat's desk yet
    with pytest.raises(ValidationError):
        services.screen(
            call.council.members.get(role="secretary").user, submission=submission, accept=True
        )

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.confirm_email(token=submission.token)
    confirmed.refresh_from_db()
    assert confirmed.status == S.SUBMITTED
    assert confirmed.email_confirmed_at is not None and confirmed.submitted_at is not None
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["an@example.org"]
    assert list(confirmed.events.values_list("status", flat=True)) == [S.DRAFT, S.SUBMITTED]

    # the link clicked twice changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        again = services.confirm_email(token=submission.token)
    assert again.submitted_at == confirmed.submitted_at
    assert len(mail.outbox) == 2
    assert verbs("initiatives.confirm") == 1


def test_a_wrong_confirmation_link_is_refused(call, data, anonymous):
    submission = services.submit_initiative(anonymous, call=call, data=data())
    with pytest.raises(ValidationError):
        services.confirm_email(token=submission.token + "x")
    submission.refresh_from_db()
    assert submission.status == S.DRAFT


def test_submissions_are_numbered_sequentially_per_call(
    call, data, anonymous, admin_user, tree, council, fields
):
    first = services.submit_initiative(anonymous, call=call, data=data())
    second = enter(admin_user, call, data(unit=tree["quang_an"], applicant_email=""))
    third = services.submit_initiative(anonymous, call=call, data=data(title="Ba"))
    assert [first.number, second.number, third.number] == [1, 2, 3]
    other = open_call(
        admin_user, owner_unit=tree["city"], council=council, fields=fields, title="Đợt hai"
    )
    assert services.submit_initiative(anonymous, call=other, data=data()).number == 1


def test_a_client_token_from_another_call_is_not_a_double_click(
    call, data, anonymous, admin_user, tree, council, fields
):
    first = services.submit_initiative(anonymous, call=call, data=data(), client_token="c-1")
    other = open_call(
        admin_user, owner_unit=tree["city"], council=council, fields=fields, title="Đợt hai"
    )
    try:
        second = services.submit_initiative(
            anonymous,
            call=other,
            data=data(applicant_name="Trần Thị Bình", applicant_email="binh@example.org"),
            client_token="c-1",
        )
    except ValidationError:
        return  # refusing is fine too; handing back the first submission is not
    assert second.pk != first.pk
    assert second.call == other and second.applicant_email == "binh@example.org"


def test_a_double_click_saves_once(call, data, anonymous, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_initiative(anonymous, call=call, data=data(), client_token="c-1")
        second = services.submit_initiative(anonymous, call=call, data=data(), client_token="c-1")
    assert second.pk == first.pk
    assert Submission.objects.count() == 1
    assert len(mail.outbox) == 1
    assert verbs("initiatives.submit") == 1
    third = services.submit_initiative(anonymous, call=call, data=data(), client_token="c-2")
    assert third.pk != first.pk and third.number == 2


@pytest.mark.parametrize("how", ["closed", "draft", "after_closing_day", "before_opening_day"])
def test_a_call_not_open_refuses_submissions(how, call, data, anonymous, admin_user):
    today = timezone.localdate()
    if how == "closed":
        services.set_call_status(admin_user, call=call, status=Call.Status.CLOSED)
    elif how == "draft":
        Call.objects.filter(pk=call.pk).update(status=Call.Status.DRAFT)
        call.refresh_from_db()
    elif how == "after_closing_day":
        Call.objects.filter(pk=call.pk).update(
            opens_on=today - dt.timedelta(days=30), closes_on=today - dt.timedelta(days=1)
        )
        call.refresh_from_db()
    else:
        Call.objects.filter(pk=call.pk).update(
            opens_on=today + dt.timedelta(days=1), closes_on=today + dt.timedelta(days=9)
        )
        call.refresh_from_db()
    with pytest.raises(ValidationError):
        services.submit_initiative(anonymous, call=call, data=data())
    with pytest.raises(ValidationError):
        enter(admin_user, call, data())
    assert not Submission.objects.exists()


def test_a_unit_outside_the_calls_scope_is_refused(
    tree, admin_user, council, fields, data, anonymous
):
    long_bien_call = open_call(
        admin_user, owner_unit=tree["long_bien"], council=council, fields=fields, title="LB"
    )
    elsewhere = make_unit("Thành phố Hải Phòng", code="31", kind_code="province")
    for unit in (tree["quang_an"], tree["tay_ho"], tree["city"], elsewhere, None, "bo_de"):
        with pytest.raises(ValidationError) as error:
            services.submit_initiative(anonymous, call=long_bien_call, data=data(unit=unit))
        assert "unit" in error.value.message_dict
    assert not Submission.objects.exists()
    inside = services.submit_initiative(
        anonymous, call=long_bien_call, data=data(unit=tree["group"])
    )
    assert inside.unit == tree["group"]


def test_a_unit_no_longer_in_force_or_a_field_the_call_does_not_take_is_refused(
    tree, admin_user, council, fields, data, anonymous
):
    merged = make_unit(
        "Phường cũ",
        parent=tree["long_bien"],
        code="00130",
        valid_to=timezone.localdate() - dt.timedelta(days=1),
    )
    call = open_call(
        admin_user,
        owner_unit=tree["city"],
        council=council,
        fields={"environment": fields["environment"]},
    )
    with pytest.raises(ValidationError) as error:
        services.submit_initiative(anonymous, call=call, data=data(unit=merged))
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.submit_initiative(anonymous, call=call, data=data(field=fields["social"]))
    assert "field" in error.value.message_dict
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("option", "kind"),
    [
        ("individuals_may_apply", Submission.ApplicantKind.PERSON),
        ("collectives_may_apply", Submission.ApplicantKind.COLLECTIVE),
    ],
)
def test_an_applicant_kind_the_call_does_not_admit_is_refused(
    option, kind, tree, admin_user, council, fields, data, anonymous
):
    restricted = open_call(
        admin_user, owner_unit=tree["city"], council=council, fields=fields, **{option: False}
    )
    with pytest.raises(ValidationError) as error:
        services.submit_initiative(anonymous, call=restricted, data=data(applicant_kind=kind))
    assert "applicant_kind" in error.value.message_dict
    with pytest.raises(ValidationError):
        enter(admin_user, restricted, data(applicant_kind=kind))
    assert not Submission.objects.exists()
    other = ({*Submission.ApplicantKind.values} - {kind}).pop()
    assert (
        services.submit_initiative(
            anonymous, call=restricted, data=data(applicant_kind=other)
        ).applicant_kind
        == other
    )


@pytest.mark.parametrize("kind", ["", "unit", None])
def test_an_unknown_applicant_kind_is_refused(kind, call, data, anonymous):
    with pytest.raises(ValidationError):
        services.submit_initiative(anonymous, call=call, data=data(applicant_kind=kind))
    assert not Submission.objects.exists()


def test_a_public_submission_needs_an_email_to_confirm(call, data, anonymous):
    with pytest.raises(ValidationError) as error:
        services.submit_initiative(anonymous, call=call, data=data(applicant_email=""))
    assert "applicant_email" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.submit_initiative(anonymous, call=call, data=data(applicant_email="not-an-email"))
    assert not Submission.objects.exists()


def test_missing_required_text_or_field_is_refused(call, data, anonymous):
    for broken in ({"title": ""}, {"summary": ""}, {"applicant_name": ""}, {"field": None}):
        with pytest.raises(ValidationError):
            services.submit_initiative(anonymous, call=call, data=data(**broken))
    assert not Submission.objects.exists()


def test_an_officer_enters_an_initiative_for_an_offline_citizen(
    call, data, officer, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = enter(
            officer, call, data(unit=tree["group"], applicant_email="", applicant_phone="0901")
        )
    submission.refresh_from_db()
    assert submission.status == S.SUBMITTED
    assert submission.entered_by == officer
    assert submission.submitted_at is not None
    assert submission.email_confirmed_at is None  # nobody confirmed an address
    assert mail.outbox == []  # no address, no email
    event = submission.events.get()
    assert event.actor == officer and event.status == S.SUBMITTED
    assert AuditEvent.objects.get(verb="initiatives.submit").actor == officer


def test_an_officer_with_the_citizens_email_sends_a_receipt(
    call, data, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = enter(officer, call, data())
    assert submission.status == S.SUBMITTED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.org"]
    assert submission.token in mail.outbox[0].body


def test_an_officer_outside_the_unit_submits_like_the_public(call, data, officer, tree):
    """The Long Biên officer has no say over Quảng An: no on-behalf entry there."""
    with pytest.raises(ValidationError):
        enter(officer, call, data(unit=tree["quang_an"], applicant_email=""))
    submission = enter(officer, call, data(unit=tree["quang_an"]))
    assert submission.status == S.DRAFT and submission.entered_by is None


def test_attachments_are_stored_with_their_sniffed_type(call, data, anonymous, media):
    submission = services.submit_initiative(
        anonymous, call=call, data=data(), files=[pdf(), pdf("ban-ve.pdf")]
    )
    attachments = list(submission.attachments.order_by("name"))
    assert [a.name for a in attachments] == ["ban-ve.pdf", "giai-phap.pdf"]
    assert {a.content_type for a in attachments} == {"application/pdf"}
    assert {a.size for a in attachments} == {len(PDF)}
    assert len(stored_files(media)) == 2
    # Private, under generated names: never the applicant's name.
    assert all(f.is_relative_to(media / "private") for f in stored_files(media))
    assert not {f.name for f in stored_files(media)} & {"ban-ve.pdf", "giai-phap.pdf"}


@pytest.mark.parametrize(
    "disguised",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"MZ\x90\x00\x03\x00\x00\x00",
        b"",
    ],
)
def test_a_disguised_file_is_refused_and_nothing_is_written(
    disguised, call, data, anonymous, media
):
    fake = SimpleUploadedFile("giai-phap.pdf", disguised, content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.submit_initiative(anonymous, call=call, data=data(), files=[pdf(), fake])
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(verb="initiatives.submit").exists()
    assert stored_files(media) == []


def test_too_many_files_are_refused(call, data, anonymous, media):
    with pytest.raises(ValidationError) as error:
        services.submit_initiative(
            anonymous,
            call=call,
            data=data(),
            files=[pdf(f"{n}.pdf") for n in range(services.MAX_ATTACHMENTS + 1)],
        )
    assert "attachments" in error.value.message_dict
    assert not Submission.objects.exists() and not Attachment.objects.exists()
    assert stored_files(media) == []
    ok = services.submit_initiative(
        anonymous,
        call=call,
        data=data(),
        files=[pdf(f"{n}.pdf") for n in range(services.MAX_ATTACHMENTS)],
    )
    assert ok.attachments.count() == services.MAX_ATTACHMENTS


def test_scripts_in_text_fields_are_stored_as_plain_text(call, data, anonymous):
    script = "<script>alert('x')</script>"
    submission = services.submit_initiative(
        anonymous,
        call=call,
        data=data(
            title=f"{script} Nước sạch",
            summary=f'<img src=x onerror="alert(1)"> {script}',
            applicant_name=f"{script}An",
        ),
    )
    submission.refresh_from_db()
    assert submission.title == f"{script} Nước sạch"
    assert submission.summary == f'<img src=x onerror="alert(1)"> {script}'
    assert submission.applicant_name == f"{script}An"


def test_the_applicant_withdraws_with_their_link_until_the_decision(
    call, data, anonymous, django_capture_on_commit_callbacks
):
    submission = services.submit_initiative(anonymous, call=call, data=data())
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = services.withdraw(token=submission.token)
    assert withdrawn.status == S.WITHDRAWN
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError):
        services.withdraw(token=submission.token)
    with pytest.raises(ValidationError):
        services.withdraw(token="nope")
