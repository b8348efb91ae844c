"""Certificate PDFs: A4 landscape, DejaVu Sans for Vietnamese, a QR code to the public
verification page. Rendered on demand from the registry row, so a PDF always matches it."""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

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


SHEET_LAYOUTS = ("a4", "a5")
SHEET_CHUNK = 100


def certificate_sheet_pdf(
    certificates: list[Certificate],
    *,
    layout: str = "a4",
    base_url: str | None = None,
    on_progress: Any = None,
) -> bytes:
    """Many certificates in one print-ready PDF: one per A4 landscape page ("a4"), or two A5
    certificates on each A4 portrait page ("a5", to cut in half). Rendered as a few large HTML
    documents whose pages are joined, rather than one document per certificate: WeasyPrint's
    cost is per document, so an area of 300 households takes seconds, not minutes."""
    import weasyprint  # noqa: PLC0415

    from thidua.core.pdf import local_fetcher  # noqa: PLC0415 (WeasyPrint is slow to import)

    if layout not in SHEET_LAYOUTS:
        raise ValueError(layout)
    check_url = check_page_url(base_url=base_url)
    fetcher = local_fetcher()
    documents = []
    # an even chunk keeps the two-up pairs on the same sheet
    for start in range(0, len(certificates), SHEET_CHUNK):
        chunk = certificates[start : start + SHEET_CHUNK]
        items = []
        for certificate in chunk:
            url = verification_url(certificate, base_url=base_url)
            items.append(
                {
                    "certificate": certificate,
                    "url": url,
                    "qr": segno.make(url, error="m").png_data_uri(scale=4, border=1),
                }
            )
        images = award_images(chunk[0].honour.award_type) if chunk else {}
        html = render_to_string(
            "honors/certificate_sheet_pdf.html",
            {"items": items, "layout": layout, "check_url": check_url, "images": images},
        )
        documents.append(weasyprint.HTML(string=html, url_fetcher=fetcher).render())
        if on_progress is not None:
            on_progress(start + len(chunk), len(certificates))
    if not documents:
        raise ValueError("no certificate")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
