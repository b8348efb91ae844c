"""Each area's certificates in one print-ready PDF, made in the background."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from tests.cultural_titles.conftest import YEAR
from tests.cultural_titles.test_services import posted
from thidua.cultural_titles import services
from thidua.cultural_titles.models import CertificatePrint


@pytest.fixture
def decided(committee, chairman, area_a):
    area_a = posted(committee, area_a, no_for={"HA005"})
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    title_decision = services.decide_families(
        chairman,
        round=area_a.round,
        number="123/QĐ-UBND",
        signed_on=dt.date(YEAR, 11, 20),
        signer="Phạm Minh Đức",
    )
    area_a.refresh_from_db()
    return title_decision, area_a


def _text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("layout", "pages"), [("a4", 4), ("a5", 2)])
def test_an_area_prints_in_one_pdf_with_every_titled_name(
    client, chairman, decided, django_capture_on_commit_callbacks, layout, pages
):
    title_decision, area_a = decided
    client.force_login(chairman)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cultural_titles:prints", args=[title_decision.pk]),
            {"area": area_a.pk, "layout": layout},
        )
    job = CertificatePrint.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cultural_titles:print", args=[job.pk]
    )
    assert job.status == "done" and job.total == 4 and len(job.sha256) == 64
    page = client.get(response.url)
    assert job.sha256 in page.content.decode()
    download = client.get(reverse("cultural_titles:print_file", args=[job.pk]))
    content = b"".join(download.streaming_content)
    count, text = _text(content)
    assert count == pages
    eligible = [h.head_name for h in area_a.households.filter(eligible=True)]
    refused = area_a.households.get(eligible=False).head_name
    for name in eligible:
        assert name in text
    assert refused not in text
    assert "Mã kiểm tra" in text


def test_a_committee_member_may_not_print_on_the_page_nor_through_the_service(
    client, committee, decided
):
    title_decision, area_a = decided
    client.force_login(committee)
    url = reverse("cultural_titles:prints", args=[title_decision.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"area": area_a.pk, "layout": "a4"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.start_print(
            committee, title_decision=title_decision, assessment=area_a, layout="a4"
        )
    assert not CertificatePrint.objects.exists()


def test_an_outsider_gets_404_on_the_progress_page(
    client, chairman, outsider, decided, django_capture_on_commit_callbacks
):
    title_decision, area_a = decided
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_print(
            chairman, title_decision=title_decision, assessment=area_a, layout="a5"
        )
    client.force_login(outsider)
    assert client.get(reverse("cultural_titles:print", args=[job.pk])).status_code == 404
    assert client.get(reverse("cultural_titles:print_file", args=[job.pk])).status_code == 404


def test_the_decision_page_of_honors_lists_its_households_in_pages(
    client, chairman, decided, monkeypatch
):
    from thidua.honors import views_decisions

    monkeypatch.setattr(views_decisions, "ANNEX_PAGE", 3)
    title_decision, _area = decided
    client.force_login(chairman)
    url = reverse("honors:decision_detail", args=[title_decision.decision_id])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count('data-testid="certificate-pdf"') == 3
    assert second.count('data-testid="certificate-pdf"') == 1 and "<td>4</td>" in second


def test_every_decided_area_is_printed_in_one_go(
    client, chairman, committee, decided, django_capture_on_commit_callbacks
):
    title_decision, area_a = decided
    url = reverse("cultural_titles:prints", args=[title_decision.pk])
    client.force_login(committee)
    assert client.post(url, {"area": "all", "layout": "a5"}).status_code == 403
    client.force_login(chairman)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"area": "all", "layout": "a5"})
    assert list(CertificatePrint.objects.values_list("assessment_id", "status")) == [
        (area_a.pk, "done")
    ]
