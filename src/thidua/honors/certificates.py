"""Certificate PDFs: A4 landscape, DejaVu Sans for Vietnamese, a QR code to the public
verification page. Rendered on demand from the registry row, so a PDF always matches it."""

from __future__ import annotations

import base64
from functools import lru_cache

import segno
from django.conf import settings
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.urls import reverse

from thidua.core.uploads import sniff
from thidua.honors.models import Certificate


def verification_url(certificate: Certificate, *, base_url: str | None = None) -> str:
    path = reverse("public_honors:verify", args=[certificate.serial])
    return f"{(base_url or settings.SITE_URL).rstrip('/')}{path}?h={certificate.content_hash}"


def check_page_url(*, base_url: str | None = None) -> str:
    """Where the number and the check code are typed by hand."""
    return f"{(base_url or settings.SITE_URL).rstrip('/')}{reverse('public_honors:verify_form')}"


@lru_cache(maxsize=32)
def _image_data_uri(storage: str, name: str) -> str:
    """An award type's image as a data URI (read once per stored file: a replaced image gets a
    new name). Empty when the file is missing, so the certificate falls back to none."""
    try:
        with storages[storage].open(name, "rb") as file:
            content = file.read()
    except (FileNotFoundError, OSError):
        return ""
    mime = sniff(content[:16])
    if mime not in {"image/png", "image/jpeg", "image/webp"}:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def award_images(award_type) -> dict[str, str]:
    return {
        "emblem": _image_data_uri("public", award_type.emblem.name) if award_type.emblem else "",
        "signature": (
            _image_data_uri("private", award_type.signature.name) if award_type.signature else ""
        ),
    }


def certificate_html(certificate: Certificate, *, base_url: str | None = None) -> str:
    url = verification_url(certificate, base_url=base_url)
    honour = certificate.honour
    return render_to_string(
        "honors/certificate_pdf.html",
        {
            "certificate": certificate,
            "honour": honour,
            "decision": honour.decision,
            "url": url,
            "check_url": check_page_url(base_url=base_url),
            "qr": segno.make(url, error="m").png_data_uri(scale=4, border=1),
            "images": award_images(honour.award_type),
        },
    )


def certificate_pdf(certificate: Certificate, *, base_url: str | None = None) -> bytes:
    import weasyprint  # slow to import (Pango, fonts): only in the processes that render PDFs

    return weasyprint.HTML(string=certificate_html(certificate, base_url=base_url)).write_pdf()
