"""Evidence of works: private, behind the registration's own permission check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import UserFactory
from thidua.core import audit
from thidua.core.models import AuditEvent
from thidua.movements import services
from thidua.movements.models import Evidence, Work

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def stored(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def work(movement, tree, ward_officer) -> Work:
    registration = services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    return services.add_work(ward_officer, registration=registration, title="Đường hoa")


@pytest.fixture
def outsider(tree):
    user = UserFactory(username="quangan-officer", roles=[("officer", tree["quang_an"])])
    return user


def test_evidence_answers_404_outside_its_scope_and_200_as_an_attachment_inside(
    client, work, ward_officer, outsider, file_storages
):
    evidence = services.add_evidence(
        ward_officer,
        work=work,
        file=SimpleUploadedFile("bien-ban.html", PDF, "text/html"),
        caption="Biên bản",
    )
    url = evidence.download_url
    assert url == reverse("core:file", args=["evidence", evidence.pk])
    # Stored privately under a generated name; the user's name is kept for display only.
    [path] = stored(file_storages["private"])
    assert path.suffix == ".pdf" and "bien-ban" not in path.name
    assert not stored(file_storages["public"])
    assert evidence.name == "bien-ban.pdf"

    assert client.get(url).status_code == 404  # anonymous
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(ward_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="bien-ban.pdf"'
    # The registration page links to the view, never to a /media/ address.
    page = client.get(
        reverse("movements:registration", args=[work.movement_id, work.registration_id])
    )
    assert url in page.content.decode() and "/media/" not in page.content.decode()


def test_an_image_is_shown_inline_and_nginx_can_serve_it(client, settings, work, ward_officer):
    evidence = services.add_evidence(
        ward_officer, work=work, file=SimpleUploadedFile("anh.png", png(), "image/png")
    )
    client.force_login(ward_officer)
    response = client.get(evidence.download_url)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/_private/"
    response = client.get(evidence.download_url)
    assert response["X-Accel-Redirect"] == f"/_private/{evidence.file.name}"
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"


def test_html_disguised_as_png_is_refused_on_the_page_and_nothing_is_written(
    client, work, ward_officer, file_storages
):
    client.force_login(ward_officer)
    before = AuditEvent.objects.count()
    disguised = SimpleUploadedFile(
        "anh.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "image/png"
    )
    response = client.post(
        reverse("movements:work_update", args=[work.movement_id, work.pk]),
        {"file": disguised, "caption": "Ảnh"},
        follow=True,
    )
    assert "Không nhận loại tệp này" in response.content.decode()
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.count() == before
    assert not stored(file_storages["private"]) and not stored(file_storages["public"])


def test_a_deleted_work_takes_its_evidence_files_with_it(
    work, ward_officer, file_storages, django_capture_on_commit_callbacks
):
    services.add_evidence(
        ward_officer, work=work, file=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    )
    assert len(stored(file_storages["private"])) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Work.objects.filter(pk=work.pk).delete()
    assert not stored(file_storages["private"])


def test_a_failed_write_leaves_no_file_behind(work, ward_officer, file_storages, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.add_evidence(
            ward_officer, work=work, file=SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        )
    assert not Evidence.objects.exists()
    assert not stored(file_storages["private"])
