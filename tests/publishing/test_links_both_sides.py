"""A story linked to a recognised initiative or to an honour is listed on that record's public
side too: the recognised initiatives' page and the certificate check (issue #17, "shown on both
sides")."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.honors import approve, nominate
from tests.factories.initiatives import open_call, to_review
from tests.publishing.conftest import publish, write
from thidua.honors import services as honors
from thidua.honors.models import Certificate
from thidua.initiatives import services as initiatives
from thidua.publishing import services
from thidua.publishing.models import LinkKind

pytestmark = pytest.mark.django_db


def _recognised(admin_user, tree, council, fields, seats, data):
    call = open_call(admin_user, owner_unit=tree["city"], council=council, fields=fields)
    submission = to_review(
        admin_user, call, data(title="Lọc nước mưa cho tổ dân phố"), reviewers=[seats["m2"]]
    )
    meeting = initiatives.record_meeting(
        seats["secretary"].user,
        call=call,
        held_on=timezone.localdate(),
        present=list(council.members.all()),
    )
    for name in ("chair", "secretary", "m2", "m3", "m6"):
        initiatives.cast_vote(
            seats[name].user, meeting=meeting, submission=submission, choice="yes"
        )
    initiatives.finalise_decision(
        seats["chair"].user,
        call=call,
        number="1/QĐ-SK",
        decided_on=timezone.localdate(),
        meeting=meeting,
    )
    return submission


def test_the_recognised_initiatives_page_lists_the_stories_about_each(
    client, tree, admin_user, initiative_council, fields, seats, data, story, contributor,
    ward_editor,
):  # fmt: skip
    submission = _recognised(admin_user, tree, initiative_council, fields, seats, data)
    url = reverse("public_initiatives:recognised")
    assert 'data-testid="initiative-stories"' not in client.get(url).content.decode()
    services.link_story(contributor, story=story, kind=LinkKind.INITIATIVE, object_id=submission.pk)
    assert 'data-testid="initiative-stories"' not in client.get(url).content.decode()  # a draft
    publish(story, contributor, ward_editor)
    page = client.get(url).content.decode()  # the cached page moved on with the newsroom
    assert 'data-testid="initiative-stories"' in page
    assert story.live_title in page and story.get_absolute_url() in page


def test_the_certificate_check_lists_the_stories_about_the_honour(
    client, tree, people, city_round, awards, columns, ward_editor
):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    decision = honors.issue_decision(
        people["city_leader"],
        round=city_round,
        number="7/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
    certificate = Certificate.objects.get(honour__decision=decision)
    # a ward officer writes about it (the ward's honours are in the ward's registry)
    writer = people["bode_officer"]
    story = write(writer, tree["bo_de"], columns["mo-hinh-dien-hinh"])
    services.link_story(writer, story=story, kind=LinkKind.HONOUR, object_id=certificate.honour_id)
    publish(story, writer, ward_editor)
    url = reverse("public_honors:verify", args=[certificate.serial])
    page = client.get(url, {"h": certificate.content_hash}).content.decode()  # the QR's address
    assert 'data-testid="stories-about"' in page and story.live_title in page
