"""Checking a certificate by hand: the number and the short check code printed on it (any case,
with or without spaces and dashes), on the public page and through the API; the QR link with
the full hash still works."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from tests.factories.honors import approve, nominate
from thidua.honors import selectors, services
from thidua.honors.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tree, people, city_round, awards) -> Certificate:
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    decision = services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="7/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
    return Certificate.objects.get(honour__decision=decision)


def check(client, serial: str, code: str = "") -> str:
    return client.get(reverse("public_honors:verify_form"), {"serial": serial, "code": code})


def test_the_check_code_is_the_hash_head_grouped_for_reading(certificate):
    code = certificate.check_code
    assert len(code) == 9 and code[4] == "-"
    assert code.replace("-", "").lower() == certificate.content_hash[:8]


@pytest.mark.parametrize(
    "typed_serial, typed_code",
    [
        ("{serial}", "{code}"),
        ("{serial_lower}", "{code_lower}"),
        ("  {serial_spaced}  ", "{code_nodash}"),
        ("{serial_compact}", "{code_spaced}"),
    ],
)
def test_number_and_check_code_as_typed_say_valid(client, certificate, typed_serial, typed_code):
    code = certificate.check_code
    values = {
        "serial": certificate.serial,
        "serial_lower": certificate.serial.lower(),
        "serial_spaced": certificate.serial.replace("-", " "),
        "serial_compact": certificate.serial.replace("-", ""),
        "code": code,
        "code_lower": code.lower(),
        "code_nodash": code.replace("-", ""),
        "code_spaced": code.replace("-", " "),
    }
    page = check(client, typed_serial.format(**values), typed_code.format(**values))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="valid"' in body and "This certificate is valid." in body
    assert "Nguyễn Thị Hoa" in body and "7/QĐ-MTTQ" in body and "01/03/2026" in body
    assert "<details" in body and certificate.content_hash in body  # the hash, folded away


def test_the_number_alone_asks_for_the_check_code_in_plain_words(client, certificate):
    body = check(client, certificate.serial).content.decode()
    assert 'data-status="code_needed"' in body
    assert "Type the check code as well." in body
    assert "Type the check code printed beside the QR code." in body  # on the field itself
    assert "does not match" not in body and "not valid" not in body
    assert "Nguyễn Thị Hoa" not in body  # nothing shown without the code


def test_a_wrong_check_code_says_so_and_shows_nothing(client, certificate):
    wrong = "0000-0000" if not certificate.content_hash.startswith("00000000") else "1111-1111"
    body = check(client, certificate.serial, wrong).content.decode()
    assert 'data-status="wrong_code"' in body
    assert "The check code does not match this certificate number." in body
    assert "Nguyễn Thị Hoa" not in body and certificate.content_hash not in body
    body = check(client, certificate.serial, "ABC").content.decode()  # too short to be a code
    assert 'data-status="wrong_code"' in body


def test_an_unknown_number_is_not_found(client, certificate):
    body = check(client, "01-2099-9999999", certificate.check_code).content.decode()
    assert 'data-status="not_found"' in body and "No certificate has this number." in body
    assert "Nguyễn Thị Hoa" not in body


def test_a_revoked_certificate_says_revoked_with_the_reason(client, people, certificate):
    services.revoke_certificate(people["city_leader"], certificate=certificate, reason="Sai sót")
    body = check(client, certificate.serial, certificate.check_code).content.decode()
    assert 'data-status="revoked"' in body and "This certificate has been revoked." in body
    assert "Sai sót" in body


def test_the_qr_link_with_the_full_hash_still_works(client, certificate):
    url = reverse("public_honors:verify", args=[certificate.serial])
    body = client.get(url, {"h": certificate.content_hash}).content.decode()
    assert 'data-status="valid"' in body and "Nguyễn Thị Hoa" in body


def test_an_empty_form_shows_the_form_and_no_verdict(client, db):
    body = client.get(reverse("public_honors:verify_form")).content.decode()
    assert 'data-testid="verify-form"' in body and 'data-testid="verification"' not in body
    assert 'name="serial"' in body and 'name="code"' in body


def test_the_api_accepts_the_short_code(client, certificate):
    url = f"/api/v1/honors/verify/{certificate.serial}"
    good = client.get(url, {"code": certificate.check_code.lower()}).json()
    assert good["status"] == "valid" and good["recipient"] == "Nguyễn Thị Hoa"
    assert good["check_code"] == certificate.check_code
    compact = f"/api/v1/honors/verify/{certificate.serial.replace('-', '')}"
    assert client.get(compact, {"code": certificate.check_code}).json()["status"] == "valid"
    alone = client.get(url).json()
    assert alone["status"] == "code_needed" and alone.get("recipient") is None
    wrong = client.get(url, {"code": "0000-000X"}).json()
    assert wrong["status"] == "wrong_code" and wrong.get("recipient") is None
    missing = client.get("/api/v1/honors/verify/01-2099-9999999", {"code": "ABCD-EFGH"}).json()
    assert missing["status"] == "not_found" and missing.get("recipient") is None


def test_the_short_code_is_printed_on_the_certificate(certificate):
    from pypdf import PdfReader

    from thidua.honors.certificates import certificate_pdf

    text = PdfReader(io.BytesIO(certificate_pdf(certificate))).pages[0].extract_text()
    assert certificate.serial in text
    assert certificate.check_code in text
    assert "/p/verify/" in text


def test_serial_candidates_rebuild_the_dashes():
    assert "01-2024-0000035" in selectors.serial_candidates("0120240000035")
    assert "HN01-2025-0001234" in selectors.serial_candidates(" hn01 2025 0001234 ")
