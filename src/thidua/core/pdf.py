"""HTML to PDF with WeasyPrint, fetching nothing from outside: every generated PDF (minutes,
postings, disclosures, bulletins, sign-in sheets) goes through `render_pdf`, whose URL fetcher
answers data: URLs and files under the media roots only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings


class OutsideResource(ValueError):
    pass


def local_fetcher() -> Any:
    """A fetcher for data: URLs and stored files only: nothing from the network, nothing else
    of the file system."""
    # WeasyPrint takes a second to import: only the processes that render PDFs load it
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    roots = [Path(settings.PRIVATE_MEDIA_ROOT).resolve(), Path(settings.MEDIA_ROOT).resolve()]

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://")).resolve()
                if not any(root in path.parents for root in roots):
                    raise OutsideResource(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"})


def render_pdf(html: str) -> bytes:
    import weasyprint  # noqa: PLC0415 (see local_fetcher)

    return weasyprint.HTML(string=html, url_fetcher=local_fetcher()).write_pdf()
