"""Limits on imported files, shared by every import (movements' reports on the web, units on the
command line): the file's size, a workbook's size once unpacked (a zip bomb stops here, before
anything is decompressed), its rows, and a text file's encoding. Each refusal says what is wrong
in a translated sentence; the callers write nothing then."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024  # the file as uploaded
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # a workbook's parts once unzipped
MAX_ROWS = 200_000


class FileRefused(Exception):
    """`reason`: too_large, unpacked_too_large, not_xlsx, damaged, encoding, too_many_rows."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def too_large(max_bytes: int | None = None) -> FileRefused:
    max_bytes = max_bytes or MAX_BYTES
    return FileRefused(
        "too_large",
        _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)},
    )


def damaged() -> FileRefused:
    return FileRefused("damaged", _("The file is damaged."))


def not_xlsx() -> FileRefused:
    return FileRefused("not_xlsx", _("The file is not an Excel workbook (.xlsx)."))


def too_many_rows(max_rows: int | None = None) -> FileRefused:
    max_rows = max_rows or MAX_ROWS
    return FileRefused(
        "too_many_rows",
        _("The file has more than %(rows)s rows: split it into smaller files.")
        % {"rows": max_rows},
    )


def read_bytes(source: Any, *, max_bytes: int | None = None) -> bytes:
    """A file's bytes (a path, bytes or an uploaded file), refused before reading past the
    limit."""
    max_bytes = max_bytes or MAX_BYTES
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise too_large(max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        size = getattr(source, "size", None)
        if size is not None and size > max_bytes:
            raise too_large(max_bytes)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data


def open_xlsx(data: bytes, *, max_unpacked: int | None = None) -> zipfile.ZipFile:
    """The workbook's package, once it is known to be one and small enough unpacked (read from
    the zip directory: nothing is decompressed here)."""
    max_unpacked = max_unpacked or MAX_UNPACKED_BYTES
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise damaged() from error
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_xlsx()
    if unpacked > max_unpacked:
        raise FileRefused(
            "unpacked_too_large",
            _("The workbook is too large once unpacked (at most %(mb)s MB).")
            % {"mb": max_unpacked // (1024 * 1024)},
        )
    return archive


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def check_xlsx_rows(archive: zipfile.ZipFile, *, max_rows: int | None = None) -> None:
    """Refuse a workbook with a sheet of more than `max_rows` rows (and a header), counted on
    the sheets' XML as it streams out of the zip: a pass in C over at most the unpacked limit,
    far quicker than reading a million rows cell by cell to find out."""
    max_rows = max_rows or MAX_ROWS
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        count, tail = 0, b""
        try:
            with archive.open(info) as part:
                while chunk := part.read(1 << 20):
                    window = tail + chunk
                    count += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
                    tail = window[-64:]
                    if count > max_rows + 1:
                        raise too_many_rows(max_rows)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise damaged() from error


def decode_text(data: bytes) -> str:
    """A CSV's text: UTF-8, with or without the BOM Excel writes. Anything else is refused with
    the line of the first undecodable byte (guessing a legacy code page would import garbled
    Vietnamese names without a word)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            "encoding",
            _(
                "The file is not UTF-8 text (line %(line)s): in Excel, save it as "
                "“CSV UTF-8 (comma delimited)”."
            )
            % {"line": line},
        ) from error
