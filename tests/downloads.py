"""Opening what a page offers for download: every link to an Excel file, a PDF or a ZIP in a
page, fetched and read back (openpyxl, pypdf, zipfile) as plain text to assert on."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urljoin

from openpyxl import load_workbook
from pypdf import PdfReader

LINK = re.compile(r'href="([^"]*(?:\.xlsx|\.pdf|\.zip|/pdf/|format=xlsx)[^"]*)"')


def download_links(html: str, page: str) -> list[str]:
    """The download links of the page at `page`, each once, in page order."""
    links = (urljoin(page, link.replace("&amp;", "&")) for link in LINK.findall(html))
    return list(dict.fromkeys(links))


def read_download(response) -> str:
    """The text of a downloaded file, whatever its kind (a ZIP: the text of every file in it)."""
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return read_bytes(body)


def read_bytes(body: bytes) -> str:
    if body.startswith(b"%PDF-"):
        pages = PdfReader(io.BytesIO(body)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    archive = zipfile.ZipFile(io.BytesIO(body))
    if "xl/workbook.xml" in archive.namelist():
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        cells = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return " ".join(cells)
    return " ".join(read_bytes(archive.read(name)) for name in archive.namelist())
