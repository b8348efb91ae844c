"""A submission's attachments: for its secretariat and assigned reviewers, nobody else."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thidua.initiatives import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_attachment_answers_404_outside_and_200_as_an_attachment_to_the_secretariat(
    client, call, data, anonymous, admin_user, officer, seats, file_storages
):
    submission = services.submit_initiative(
        anonymous,
        call=call,
        data=data(),
        files=[SimpleUploadedFile("giải pháp.html", PDF, "text/html")],
    )
    attachment = submission.attachments.get()
    assert attachment.name == "giải pháp.pdf"
    assert re.match(r"^initiatives/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$", attachment.file.name)
    url = attachment.download_url

    assert client.get(url).status_code == 404
    for outsider in (officer, seats["m1"].user):  # another unit's officer; an unassigned member
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''gi%E1%BA%A3i%20ph%C3%A1p.pdf"
    )
    page = client.get(reverse("initiatives:submission", args=[call.pk, submission.pk]))
    assert url in page.content.decode()
