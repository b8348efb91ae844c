"""Uploaded files: one way in, one way out.

In: `accept(file)` checks the size and the type by content, never by the name — an allow-list of
PDF, JPEG, PNG, WebP, XLSX and DOCX; a PDF must start with `%PDF-` and end with `%%EOF`, an image
must open and verify in Pillow, an Office file must be a zip with its `[Content_Types].xml`, and
nothing may look like HTML or script in its first kilobytes. It answers an `Upload` whose file
carries a generated name (a uuid with the extension of the detected type): the user's file name
is kept only, cleaned, for display and the download's file name. A refused file raises a
translated ValidationError before anything is written.

Where files live:
- `PrivateStorage` (the default, under PRIVATE_MEDIA_ROOT, outside /media/): every dossier
  document, evidence, attachment, signature, certificate and import. It has no URL; each file is
  served by `core:file` (`/files/<kind>/<id>/`), which asks the app that owns the kind to fetch
  the owning object for the user with its usual fetch-and-check selector (404 outside scope and
  for anonymous visitors), then answers with the type of the stored extension, `nosniff`, and
  `attachment` for anything but an image (optionally handed to nginx with X-Accel-Redirect).
- `public_storage` (MEDIA_ROOT, served at /media/): only what is public by nature — the award
  emblems printed on certificates.

Rows deleted (directly or by a cascade) take their files with them once the transaction
commits; a replaced file is removed by its service the same way (`delete_on_commit`).
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.db.models import FileField
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from PIL import Image

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
HEAD_SCAN_BYTES = 8 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", XLSX: "xlsx", DOCX: "docx"}
TYPES_BY_EXTENSION = {extension: mime for mime, extension in EXTENSIONS.items()}
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
DOCUMENT_TYPES = frozenset(EXTENSIONS)
OFFICE_MAIN_PARTS = {XLSX: "xl/", DOCX: "word/"}
UNKNOWN_EXTENSION = "bin"  # only files moved from before the check; served as octet-stream

SIGNATURES = {
    b"%PDF-": PDF,
    b"\xff\xd8\xff": JPEG,
    b"\x89PNG\r\n\x1a\n": PNG,
    b"PK\x03\x04": "application/zip",
}

# What a browser would take for a page: refused anywhere in the first kilobytes of any file.
HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|frame|svg|object|embed|meta|style|title|"
    rb"\?xml-stylesheet)|javascript:",
    re.IGNORECASE,
)


def _not_accepted() -> ValidationError:
    return ValidationError(
        _("This type of file is not accepted (PDF, JPEG, PNG or WebP images, Word, Excel).")
    )


def _damaged() -> ValidationError:
    return ValidationError(_("The file is damaged or is not what its type says."))


def sniff(head: bytes) -> str | None:
    """The type its first bytes announce (no structure check: use `detect` for uploads)."""
    for signature, mime in SIGNATURES.items():
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _read_all(file: Any) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return content if isinstance(content, bytes) else content.encode()


def _check_image(content: bytes, mime: str) -> None:
    expected = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}[mime]
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != expected:
                raise _damaged()
            image.verify()
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds on a broken image
        raise _damaged() from error


def _office_type(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                raise _not_accepted()
            if archive.getinfo("[Content_Types].xml").file_size > 1024 * 1024:
                raise _damaged()
            types = archive.read("[Content_Types].xml")
    except zipfile.BadZipFile as error:
        raise _damaged() from error
    if b"spreadsheetml.sheet.main+xml" in types and any(n.startswith("xl/") for n in names):
        return XLSX
    if b"wordprocessingml.document.main+xml" in types and any(n.startswith("word/") for n in names):
        return DOCX
    raise _not_accepted()


def detect(content: bytes) -> str:
    """The allowed type of this content, checked by its structure; ValidationError otherwise."""
    mime = sniff(content[:16])
    if mime is None:
        raise _not_accepted()
    if HTML_MARKERS.search(content[:HEAD_SCAN_BYTES]):
        raise _not_accepted()
    if mime == PDF:
        if b"%%EOF" not in content[-2048:]:
            raise _damaged()
    elif mime in IMAGE_TYPES:
        _check_image(content, mime)
    else:
        mime = _office_type(content)
    return mime


def clean_name(name: str, *, default: str = "file") -> str:
    """The user's file name made safe for display and Content-Disposition: the last part of the
    path, NFC, no control or bidirectional characters, at most 200 characters."""
    base = PurePosixPath(str(name or "").replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip(" .")
    return base[-200:] or default


def display_name(original: str, mime: str) -> str:
    """The cleaned name with the extension of the detected type (a `.html` name never reaches a
    download, whatever the user called the file)."""
    stem = clean_name(original).rsplit(".", 1)[0] or "file"
    return f"{stem[:190]}.{EXTENSIONS[mime]}"


@dataclass(frozen=True)
class Upload:
    file: File  # the content, named `<uuid>.<extension of the detected type>`
    mime: str
    name: str  # the user's name, cleaned, with the detected extension: display only
    size: int

    @property
    def is_image(self) -> bool:
        return self.mime in IMAGE_TYPES


def accept(
    file: Any,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    types: frozenset[str] = DOCUMENT_TYPES,
    field: str | None = None,
) -> Upload:
    """Check an uploaded file and give it a generated name. Raises a translated ValidationError
    (on `field` when given) and writes nothing when the file is refused."""
    try:
        size = getattr(file, "size", None)
        if size is not None and size > max_bytes:
            raise _too_large(max_bytes)
        content = _read_all(file)
        if len(content) > max_bytes:
            raise _too_large(max_bytes)
        mime = detect(content)
        if mime not in types:
            if types <= IMAGE_TYPES:
                raise ValidationError(_("Choose a PNG, JPEG or WebP image."))
            raise _not_accepted()
    except ValidationError as error:
        if field:
            raise ValidationError({field: error.messages}) from error
        raise
    generated = f"{uuid.uuid4().hex}.{EXTENSIONS[mime]}"
    return Upload(
        file=ContentFile(content, name=generated),
        mime=mime,
        name=display_name(getattr(file, "name", ""), mime),
        size=len(content),
    )


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}
    )


def check_upload(file: Any, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The detected type of an acceptable file; ValidationError otherwise (nothing written)."""
    return accept(file, max_bytes=max_bytes).mime


# --- where files are stored -------------------------------------------------------------------


_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "thidua_written_files", default=None
)


class TrackedStorage(FileSystemStorage):
    """Notes what it writes inside `files_removed_on_failure`, so a failed write leaves no file."""

    def _save(self, name: str, content: Any) -> str:
        name = super()._save(name, content)
        written = _written.get()
        if written is not None:
            written.append((self, name))
        return name


@contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Around a service's transaction: the files it stored are deleted again if it fails (the
    rows that named them were rolled back), so no orphan is left behind."""
    outer = _written.get()
    token = _written.set([])
    try:
        yield
    except BaseException:
        for storage, name in _written.get() or []:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
    else:
        if outer is not None:
            outer.extend(_written.get() or [])
    finally:
        _written.reset(token)


class PublicStorage(TrackedStorage):
    """Public files (award emblems) under MEDIA_ROOT, served at MEDIA_URL."""


class PrivateStorage(TrackedStorage):
    """Files outside the public /media/: no URL, served only through `core:file`."""

    @cached_property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError(
            "A private file has no public URL: link to the object's download_url (core:file)."
        )


def private_storage() -> Storage:
    return storages["private"]


def public_storage() -> Storage:
    return storages["public"]


@deconstructible
class GeneratedPath:
    """upload_to: `<folder>/<yyyy>/<mm>/<uuid>.<extension>`. The name given by `accept` is
    already generated; a name that is not (a file saved by other code) is replaced anyway, so no
    stored file ever keeps a user's name or an extension outside the allow-list."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower().lstrip(".")
        if extension == "jpeg":
            extension = "jpg"
        if extension not in TYPES_BY_EXTENSION and extension not in {"zip", UNKNOWN_EXTENSION}:
            extension = UNKNOWN_EXTENSION
        month = timezone.localdate().strftime("%Y/%m")
        return f"{self.folder}/{month}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GeneratedPath) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def download_name(shown: str, stored: str) -> str:
    """The download's file name: the cleaned display name, ending with the stored file's
    extension (the detected type's, or `.bin`) whatever the user called it."""
    filename = clean_name(shown)
    suffix = PurePosixPath(stored).suffix.lower()
    if suffix and not filename.lower().endswith(suffix):
        filename += suffix
    return filename


def content_type_of(name: str) -> str:
    """The type a stored file is served with, from the extension we gave it."""
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension == "zip":
        return "application/zip"
    return TYPES_BY_EXTENSION.get(extension, "application/octet-stream")


def delete_on_commit(field_file: Any) -> None:
    """Remove a stored file once the current transaction commits (a replaced or removed one)."""
    name = getattr(field_file, "name", None)
    storage = getattr(field_file, "storage", None)
    if not name or storage is None:
        return

    def delete() -> None:
        with contextlib.suppress(OSError):
            storage.delete(name)

    transaction.on_commit(delete)


def _delete_files_of_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    for field in sender._meta.concrete_fields:
        if isinstance(field, FileField):
            delete_on_commit(getattr(instance, field.attname))


def connect_file_cleanup() -> None:
    """A deleted row (cascades included) takes its stored files with it after the commit."""

    for model in apps.get_models():
        if any(isinstance(f, FileField) for f in model._meta.concrete_fields):
            post_delete.connect(
                _delete_files_of_row, sender=model, dispatch_uid=f"files:{model._meta.label}"
            )


# --- which object a private file belongs to ---------------------------------------------------


@dataclass(frozen=True)
class Served:
    file: Any  # a FieldFile
    name: str  # the download's file name


# kind -> fetch(user, pk) answering what to serve or raising Http404 (the app's own selector).
FILE_KINDS: dict[str, Callable[[Any, int], Served]] = {}


def register_kind(kind: str, fetch: Callable[[Any, int], Served]) -> None:
    FILE_KINDS[kind] = fetch


def file_url(kind: str, pk: int) -> str:
    return reverse("core:file", args=[kind, pk])


# --- moving files stored before this scheme (data migrations) --------------------------------

GENERATED = re.compile(r"^[\w/]+/\d{4}/\d{2}/[0-9a-f]{32}\.[a-z]+$")


@dataclass(frozen=True)
class StoredField:
    model: str  # "app_label.Model"
    field: str
    folder: str
    storage: str = "private"  # the alias it belongs in now
    name_field: str = ""  # where the user's file name is kept for display
    type_field: str = ""  # where the detected type is kept


def move_stored_files(apps: Any, fields: list[StoredField]) -> dict[str, int]:
    """Move files stored by the old scheme (user's names, all under the public MEDIA_ROOT) to
    their storage under generated names with the detected type's extension. Safe to run twice
    (a file already under a generated name in its storage is left alone) and tolerant of missing
    files (their rows keep their names; the download answers 404). A file that no longer passes
    the check is kept as `.bin` and served as application/octet-stream, as an attachment."""
    old = FileSystemStorage(location=settings.MEDIA_ROOT, base_url=settings.MEDIA_URL)
    counts = {"moved": 0, "missing": 0, "kept": 0}
    for spec in fields:
        model = apps.get_model(spec.model)
        target = storages[spec.storage]
        rows = model.objects.exclude(**{spec.field: ""}).exclude(**{f"{spec.field}__isnull": True})
        for row in rows.iterator():
            name = getattr(row, spec.field).name
            if GENERATED.match(name) and target.exists(name):
                counts["kept"] += 1
                continue
            if not old.exists(name):
                counts["missing"] += 1
                continue
            with old.open(name, "rb") as file:
                content = file.read()
            try:
                mime = detect(content)
                extension = EXTENSIONS[mime]
            except ValidationError:
                mime, extension = "application/octet-stream", UNKNOWN_EXTENSION
            month = timezone.localdate().strftime("%Y/%m")
            new_name = target.save(
                f"{spec.folder}/{month}/{uuid.uuid4().hex}.{extension}", ContentFile(content)
            )
            updates: dict[str, Any] = {spec.field: new_name}
            if spec.name_field:
                shown = getattr(row, spec.name_field) or name.rsplit("/", 1)[-1]
                updates[spec.name_field] = (
                    display_name(shown, mime) if mime in EXTENSIONS else clean_name(shown)
                )
            if spec.type_field:
                updates[spec.type_field] = mime
            model.objects.filter(pk=row.pk).update(**updates)
            old.delete(name)
            counts["moved"] += 1
    return counts
