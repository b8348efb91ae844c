"""Dossier documents are private to those who may open the dossier; emblems are public, the
signature is not; a replaced or removed image leaves no file behind."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories.honors import nominate
from thidua.honors.models import AwardType, Nomination, NominationDocument
from thidua.honors.services.award_settings import configure_award_type

pytestmark = pytest.mark.django_db


def png(colour=(200, 0, 0)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("emblem.png", buffer.getvalue(), content_type="image/png")


def stored(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_dossier_document_answers_404_outside_the_dossier_and_200_inside(
    client, tree, people, city_round, awards, file_storages
):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    document = nomination.documents.first()
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf") and document.name not in document.file.name
    assert not stored(file_storages["public"])
    url = document.download_url

    assert client.get(url).status_code == 404
    client.force_login(people["quangan_officer"])  # a sibling ward
    assert client.get(url).status_code == 404
    client.force_login(people["bode_officer"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{document.name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("honors:nomination_detail", args=[nomination.pk]))
    assert url in page.content.decode()


def test_an_html_file_disguised_as_pdf_is_refused_and_nothing_is_written(
    tree, people, city_round, awards, file_storages
):
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile(
        "to-trinh.pdf",
        b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF",
        "application/pdf",
    )
    with pytest.raises(ValidationError) as error:
        nominate(
            city_round,
            people["bode_officer"],
            tree["bo_de"],
            awards["bang-khen"],
            documents=[("proposal_letter", fake)],
        )
    assert "This type of file is not accepted" in str(error.value)
    assert not Nomination.objects.exists() and not NominationDocument.objects.exists()
    assert not stored(file_storages["private"]) and not stored(file_storages["public"])


def test_replacing_or_removing_an_emblem_deletes_the_old_file(
    admin_user, awards, file_storages, django_capture_on_commit_callbacks
):
    award = awards["bang-khen"]
    with django_capture_on_commit_callbacks(execute=True):
        configure_award_type(admin_user, award_type=award, emblem=png(), signature=png((0, 0, 200)))
    award.refresh_from_db()
    # The emblem is public; the signature image is not.
    [emblem] = stored(file_storages["public"])
    [signature] = stored(file_storages["private"])
    assert emblem.name == award.emblem.name.rsplit("/", 1)[-1]
    assert award.emblem.url.startswith("/media/honors/emblems/")

    with django_capture_on_commit_callbacks(execute=True):
        configure_award_type(admin_user, award_type=award, emblem=png((0, 200, 0)))
    award.refresh_from_db()
    assert stored(file_storages["public"]) == [file_storages["public"] / award.emblem.name]
    assert not emblem.exists()

    with django_capture_on_commit_callbacks(execute=True):
        configure_award_type(
            admin_user, award_type=award, remove_emblem=True, remove_signature=True
        )
    assert not stored(file_storages["public"]) and not stored(file_storages["private"])
    assert not AwardType.objects.get(pk=award.pk).emblem
