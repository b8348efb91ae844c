"""Every file a decision's pages offer (annex, certificates one by one and all in a ZIP)
downloads and opens with the recipient in it."""

import pytest
from django.urls import resolve, reverse

from tests.downloads import download_links, read_download
from thidua.honors.models import Certificate

pytestmark = pytest.mark.django_db


def test_every_download_of_a_decision_opens_with_its_content(
    client, people, decision, django_capture_on_commit_callbacks
):
    client.force_login(people["city_leader"])
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("honors:certificate_batch_start", args=[decision.pk]))
    assert started.status_code == 302
    serial = Certificate.objects.get(honour__decision=decision).serial
    opened = set()
    for page in [reverse("honors:decision_detail", args=[decision.pk]), started["Location"]]:
        for link in download_links(client.get(page).content.decode(), page):
            text = read_download(client.get(link))
            assert "Nguyễn Thị Hoa" in text, link
            name = resolve(link.split("?")[0]).url_name
            if name != "decision_export":
                assert serial in text, link
            opened.add(name)
    assert opened == {"decision_export", "certificate_pdf", "certificate_batch_archive"}
