"""Certificate PDFs: A4 landscape, DejaVu Sans for Vietnamese, a QR code to the public
verification page. Rendered on demand from the registry row, so a PDF always matches it."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from thidua.honors.models import Certificate


def verification_url(certificate: Certificate, *, base_url: str | None = None) -> str:
    path = reverse("public_honors:verify", args=[certificate.serial])
    return f"{(base_url or settings.SITE_URL).rstrip('/')}{path}?h={certificate.content_hash}"


def certificate_html(certificate: Certificate, *, base_url: str | None = None) -> str:
    import segno

    url = verification_url(certificate, base_url=base_url)
    honour = certificate.honour
    return render_to_string(
        "honors/certificate_pdf.html",
        {
            "certificate": certificate,
            "honour": honour,
            "decision": honour.decision,
            "url": url,
            "qr": segno.make(url, error="m").png_data_uri(scale=4, border=1),
        },
    )


def certificate_pdf(certificate: Certificate, *, base_url: str | None = None) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=certificate_html(certificate, base_url=base_url)).write_pdf()
