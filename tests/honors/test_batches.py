"""Batch generation of a decision's certificates in the background, with progress."""

import contextlib
import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories.honors import approve, nominate
from thidua.honors import batches, services
from thidua.honors.models import Certificate, CertificateBatch
from thidua.honors.services.certificates import start_certificate_batch
from thidua.honors.tasks import generate_certificates

pytestmark = pytest.mark.django_db
Status = CertificateBatch.Status


@pytest.fixture
def decision(tree, people, city_round, awards):
    nominations = []
    for name in ["Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Mai"]:
        nomination = nominate(
            city_round,
            people["bode_officer"],
            tree["bo_de"],
            awards["bang-khen"],
            nominee_name=name,
        )
        approve(nomination, people, city_round.council)
        nominations.append(nomination)
    return services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="12/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=nominations,
    )


def test_a_batch_generates_every_certificate_and_a_zip(
    people, decision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_certificate_batch(people["city_leader"], decision=decision)
    batch.refresh_from_db()
    assert batch.status == Status.DONE and batch.processed == batch.total == 3
    assert batch.percent == 100 and batch.finished_at is not None
    names = zipfile.ZipFile(batch.archive.open("rb")).namelist()
    serials = sorted(c.serial for c in Certificate.objects.all())
    assert sorted(n.removesuffix(".pdf") for n in names) == serials
    assert all(c.pdf for c in Certificate.objects.all())


def test_it_is_idempotent_on_retry_and_on_a_second_delivery(people, decision):
    batch = CertificateBatch.objects.create(decision=decision, status=Status.RUNNING)
    first = Certificate.objects.order_by("id").first()
    # A worker died after the first certificate: its PDF is kept, the others are made.
    from django.core.files.base import ContentFile

    first.pdf.save(f"{first.serial}.pdf", ContentFile(b"%PDF-1.4 kept"), save=True)
    rendered = []
    original = batches.certificate_pdf

    def counting(certificate, **kwargs):
        rendered.append(certificate.serial)
        return original(certificate, **kwargs)

    batches.certificate_pdf = counting
    try:
        assert generate_certificates.enqueue(batch.pk).return_value == Status.DONE
        assert generate_certificates.enqueue(batch.pk).return_value == Status.DONE  # again
    finally:
        batches.certificate_pdf = original
    assert first.serial not in rendered and len(rendered) == 2
    first.refresh_from_db()
    assert first.pdf.open("rb").read() == b"%PDF-1.4 kept"
    batch.refresh_from_db()
    assert batch.processed == 3
    # A new batch for the same decision renders nothing more.
    batch2 = CertificateBatch.objects.create(decision=decision)
    batches.certificate_pdf = counting
    try:
        generate_certificates.enqueue(batch2.pk)
    finally:
        batches.certificate_pdf = original
    assert len(rendered) == 2


def test_starting_while_one_runs_returns_it(people, decision):
    running = CertificateBatch.objects.create(decision=decision, status=Status.RUNNING)
    assert start_certificate_batch(people["city_leader"], decision=decision) == running
    assert CertificateBatch.objects.count() == 1


def test_revoked_certificates_are_not_printed(people, decision):
    certificate = Certificate.objects.order_by("id").first()
    services.revoke_certificate(people["city_leader"], certificate=certificate, reason="Sai")
    batch = CertificateBatch.objects.create(decision=decision)
    generate_certificates.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.total == 2 and len(zipfile.ZipFile(batch.archive.open("rb")).namelist()) == 2


def test_an_error_fails_the_batch_and_keeps_what_was_made(people, decision, monkeypatch):
    calls = []

    def broken(certificate, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return b"%PDF-1.4 ok"

    monkeypatch.setattr(batches, "certificate_pdf", broken)
    batch = CertificateBatch.objects.create(decision=decision)
    with contextlib.suppress(RuntimeError):
        generate_certificates.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED and "Start it again" in batch.error
    assert Certificate.objects.exclude(pdf="").count() == 1


def test_only_a_leader_of_the_conferring_unit_starts_or_follows_it(client, people, decision):
    with pytest.raises(PermissionDenied):
        start_certificate_batch(people["bode_leader"], decision=decision)
    assert not CertificateBatch.objects.exists()
    client.force_login(people["city_officer"])
    start = reverse("honors:certificate_batch_start", args=[decision.pk])
    assert client.post(start).status_code == 403
    batch = CertificateBatch.objects.create(decision=decision, status=Status.RUNNING, total=4)
    url = reverse("honors:certificate_batch", args=[decision.pk, batch.pk])
    assert client.get(url).status_code == 403
    client.force_login(people["quangan_officer"])  # cannot even see the decision
    assert client.get(url).status_code == 404


def test_progress_page_polls_while_running_then_offers_the_zip(
    client, people, decision, city_round, django_capture_on_commit_callbacks
):
    client.force_login(people["city_leader"])
    batch = CertificateBatch.objects.create(
        decision=decision, status=Status.RUNNING, total=4, processed=1
    )
    url = reverse("honors:certificate_batch", args=[decision.pk, batch.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "25%" in page and "<html" in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in partial and "<html" not in partial
    archive = reverse("honors:certificate_batch_archive", args=[decision.pk, batch.pk])
    assert client.get(archive).status_code == 404  # not ready
    other = reverse("honors:certificate_batch", args=[decision.pk + 1000, batch.pk])
    assert client.get(other).status_code == 404
    CertificateBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED, error="x")
    detail = client.get(reverse("honors:decision_detail", args=[decision.pk])).content.decode()
    assert 'data-testid="generate-certificates"' in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("honors:certificate_batch_start", args=[decision.pk]))
    new = CertificateBatch.objects.exclude(pk=batch.pk).get()
    assert response["Location"] == reverse("honors:certificate_batch", args=[decision.pk, new.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="batch-archive"' in page and 'hx-trigger="every' not in page
    zipped = client.get(reverse("honors:certificate_batch_archive", args=[decision.pk, new.pk]))
    content = b"".join(zipped.streaming_content)
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == 3
    # The single download now serves the stored PDF.
    certificate = Certificate.objects.order_by("id").first()
    pdf = client.get(reverse("honors:certificate_pdf", args=[certificate.pk])).content
    assert pdf == certificate.pdf.open("rb").read()


def test_a_batch_is_shared_by_chunks_and_ends_with_one_zip(people, decision, settings):
    settings.CERTIFICATE_CHUNK_SIZE = 1
    from thidua.honors import tasks

    queued = []
    batch = CertificateBatch.objects.create(decision=decision)
    status = batches.dispatch_batch(
        batch.pk, enqueue_chunk=lambda batch_id, ids: queued.append((batch_id, ids))
    )
    assert status == Status.RUNNING and [len(ids) for _b, ids in queued] == [1, 1, 1]
    # Two workers run the chunks, one of them delivered twice; the last one assembles the ZIP.
    for batch_id, ids in [*queued, queued[0]]:
        tasks.generate_certificate_chunk.call(batch_id, ids)
    batch.refresh_from_db()
    assert batch.status == Status.DONE and batch.processed == 3
    assert len(zipfile.ZipFile(batch.archive.open("rb")).namelist()) == 3
    # A late duplicate finisher leaves the one ZIP recorded.
    assert batches.finish_if_complete(batch.pk) == Status.DONE
    batch.refresh_from_db()
    assert batch.archive.storage.exists(batch.archive.name)
