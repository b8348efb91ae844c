"""A practice's stage evidence and an exemplar's photo: private until published."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import UserFactory
from thidua.core.uploads import file_url
from thidua.practices import services
from thidua.practices.models import Exemplar

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def group_officer(tree):
    user = UserFactory(username="tdp-officer", roles=[("officer", tree["group"])])
    return user


@pytest.fixture
def ward_leader(tree):
    user = UserFactory(username="bode-leader", roles=[("leader", tree["bo_de"])])
    return user


def test_stage_evidence_is_served_to_those_who_see_the_practice_only(
    client, tree, fields, group_officer
):
    practice = services.record_practice(
        group_officer,
        owner_unit=tree["group"],
        title="Tuyến phố xanh",
        field=fields["environment"],
        started_on=dt.date(2026, 1, 5),
        evidence=SimpleUploadedFile("bien ban.pdf", PDF, "application/pdf"),
    )
    change = practice.stage_changes.get()
    assert change.evidence_name == "bien ban.pdf"
    assert not change.evidence.name.endswith("bien ban.pdf")
    url = change.evidence_url
    assert client.get(url).status_code == 404
    client.force_login(group_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("practices:detail", args=[practice.pk]))
    assert url in page.content.decode()


def test_an_exemplar_photo_is_public_only_once_verified(client, tree, group_officer, ward_leader):
    exemplar = services.propose_exemplar(
        group_officer,
        owner_unit=tree["group"],
        kind=Exemplar.Kind.PERSON,
        name="Bà Nguyễn Thị Hằng",
        deeds="20 năm quét dọn ngõ phố",
        photo=SimpleUploadedFile("chan-dung.jpeg", jpeg(), "image/jpeg"),
    )
    assert exemplar.photo.name.endswith(".jpg")
    url = file_url("exemplar-photo", exemplar.pk)
    assert client.get(url).status_code == 404  # proposed: not published
    client.force_login(group_officer)
    assert client.get(url).status_code == 200
    client.logout()
    services.verify_exemplar(ward_leader, exemplar=exemplar, accept=True)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")


def test_a_photo_must_be_an_image(tree, group_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.propose_exemplar(
            group_officer,
            owner_unit=tree["group"],
            kind=Exemplar.Kind.PERSON,
            name="Bà Hằng",
            deeds="Quét dọn",
            photo=SimpleUploadedFile("anh.jpg", PDF, "image/jpeg"),
        )
    assert "photo" in error.value.message_dict
    assert not Exemplar.objects.exists()
