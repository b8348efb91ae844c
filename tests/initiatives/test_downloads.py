"""Every file the call's pages offer (Excel export, minutes PDF) downloads and opens."""

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from tests.downloads import download_links, read_download
from thidua.initiatives import services

pytestmark = pytest.mark.django_db


def test_every_download_of_a_call_opens_with_its_content(
    client, setup, admin_user, under_review, django_capture_on_commit_callbacks
):
    call = setup["call"]
    meeting = services.record_meeting(
        setup["users"]["secretary"],
        call=call,
        held_on=timezone.localdate(),
        present=list(setup["council"].members.all()),
    )
    services.cast_vote(
        setup["users"]["chair"], meeting=meeting, submission=under_review, choice="yes"
    )
    opened = set()
    for user, page in [
        (admin_user, reverse("initiatives:call_detail", args=[call.pk])),
        (setup["users"]["secretary"], reverse("initiatives:deliberation", args=[call.pk])),
    ]:
        client.force_login(user)
        for link in download_links(client.get(page).content.decode(), page):
            # The minutes are built in the background: the first answer is their progress page.
            with django_capture_on_commit_callbacks(execute=True):
                response = client.get(link)
            if response["Content-Type"].startswith("text/html"):
                response = client.get(link)
            text = read_download(response)
            assert "Thu gom rác thông minh" in text, link
            opened.add(resolve(link.split("?")[0]).url_name)
    assert opened == {"export", "minutes"}
