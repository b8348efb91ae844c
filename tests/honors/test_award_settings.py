"""Emblem and signature images per award type, used in the certificate PDF."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories.honors import approve, nominate
from thidua.core.models import AuditEvent
from thidua.honors import services
from thidua.honors.certificates import certificate_pdf
from thidua.honors.models import AwardType, Certificate
from thidua.honors.services.award_settings import configure_award_type

pytestmark = pytest.mark.django_db


def png(name="emblem.png", colour=(200, 0, 0)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def images_in(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages[0].images)


@pytest.fixture
def certificate(tree, people, city_round, awards):
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    services.issue_decision(
        people["city_leader"],
        round=city_round,
        number="5/QĐ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
    return Certificate.objects.select_related(
        "honour__award_type", "honour__unit", "honour__decision__unit"
    ).get()


def test_images_go_into_the_certificate_and_fall_back_to_none(admin_user, awards, certificate):
    assert images_in(certificate_pdf(certificate)) == 1  # the QR code alone
    configure_award_type(
        admin_user,
        award_type=awards["bang-khen"],
        emblem=png(),
        signature=png("signature.png", (0, 0, 200)),
    )
    certificate.honour.award_type.refresh_from_db()
    assert images_in(certificate_pdf(certificate)) == 3
    configure_award_type(admin_user, award_type=awards["bang-khen"], remove_emblem=True)
    certificate.honour.award_type.refresh_from_db()
    assert images_in(certificate_pdf(certificate)) == 2
    # A stored image that went missing is left out, not an error.
    AwardType.objects.filter(pk=awards["bang-khen"].pk).update(signature="honors/gone.png")
    certificate.honour.award_type.refresh_from_db()
    assert images_in(certificate_pdf(certificate)) == 1


def test_only_a_catalogue_administrator_sets_them(people, awards):
    with pytest.raises(PermissionDenied):
        configure_award_type(people["city_leader"], award_type=awards["bang-khen"], emblem=png())
    assert not AwardType.objects.get(code="bang-khen").emblem


def test_bad_images_and_values_are_refused_and_nothing_is_written(admin_user, awards):
    award = awards["bang-khen"]
    before = AuditEvent.objects.count()
    rule = services.rule_in_force(award, timezone.localdate())
    for bad in [
        {"emblem": SimpleUploadedFile("e.png", b"<svg onload=alert(1)>", "image/png")},
        {"signature": SimpleUploadedFile("s.pdf", b"%PDF-1.4 x", "application/pdf")},
        {"emblem": png(), "public_notice_days": 90},
        {"emblem": png(), "short_path_days": 0},
    ]:
        with pytest.raises(ValidationError):
            configure_award_type(admin_user, award_type=award, **bad)
    award.refresh_from_db()
    assert not award.emblem and not award.signature
    assert AuditEvent.objects.count() == before
    rule.refresh_from_db()
    assert rule.public_notice_days == 0


def test_the_settings_page(client, admin_user, people, awards):
    url = reverse("honors:award_settings", args=[awards["bang-khen"].pk])
    client.force_login(people["city_leader"])
    assert client.get(url).status_code == 403
    assert (
        'data-testid="award-settings"'
        not in client.get(reverse("honors:catalogue")).content.decode()
    )
    client.force_login(admin_user)
    assert (
        'data-testid="award-settings"' in client.get(reverse("honors:catalogue")).content.decode()
    )
    bad = SimpleUploadedFile("e.png", b"GIF89a....", "image/png")
    response = client.post(url, {"emblem": bad, "short_path_days": 5})
    assert response.status_code == 200
    assert "This type of file is not accepted" in response.content.decode()
    response = client.post(
        url, {"emblem": png(), "public_notice_days": 7, "short_path": "on", "short_path_days": 3}
    )
    assert response.status_code == 302
    award = AwardType.objects.get(code="bang-khen")
    assert award.emblem.name.startswith("honors/emblems/")
    rule = services.rule_in_force(award, timezone.localdate())
    assert (rule.public_notice_days, rule.short_path, rule.short_path_days) == (7, True, 3)
    old = services.rule_in_force(award, dt.date(2024, 6, 1))
    assert old.public_notice_days == 0  # the earlier version is kept


def test_certificate_writes_the_reward_in_words_and_the_decision_date_formally(certificate):
    from django.utils import translation

    from thidua.honors.certificates import certificate_html

    with translation.override("en"):  # the certificate is a Vietnamese document whatever the UI
        html = certificate_html(certificate)
    honour = certificate.honour
    assert honour.cash > 0
    assert "Theo Quyết định số 5/QĐ ngày 01 tháng 3 năm 2026" in html
    assert f"{honour.cash:,.0f}".replace(",", ".") + " đ" in html
    assert "đồng)" in html
