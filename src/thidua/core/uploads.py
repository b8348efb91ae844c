"""Uploaded files: a size limit and a type checked by content (magic bytes), never by the name.

Accepted: PDF, JPEG, PNG, WebP, and Office Open XML (docx, xlsx). Everything else, HTML and SVG
included, is refused; files are served as attachments, never inline.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"PK\x03\x04": "application/zip",
}


def sniff(head: bytes) -> str | None:
    for signature, mime in SIGNATURES.items():
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(file: Any, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Raise ValidationError unless the file is small enough and of an accepted type."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
        )
    position = file.tell() if hasattr(file, "tell") else 0
    head = file.read(16)
    file.seek(position)
    mime = sniff(head)
    if mime is None:
        raise ValidationError(_("This type of file is not accepted (PDF, images, Word, Excel)."))
    if mime == "application/zip":
        import zipfile

        try:
            names = set(zipfile.ZipFile(file).namelist())
        except zipfile.BadZipFile as error:
            raise ValidationError(_("The file is damaged.")) from error
        finally:
            file.seek(position)
        if "[Content_Types].xml" not in names:
            raise ValidationError(
                _("This type of file is not accepted (PDF, images, Word, Excel).")
            )
        mime = "application/vnd.openxmlformats-officedocument"
    return mime
