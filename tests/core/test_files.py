"""Uploads: checked by content, stored privately under generated names, moved from the old
public location, removed with their rows."""

import io
import re
import zipfile

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from thidua.core import uploads

GENERATED = re.compile(r"^[0-9a-f]{32}\.(pdf|jpg|png|webp|xlsx|docx)$")
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image(kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), (10, 120, 200)).save(buffer, format=kind)
    return buffer.getvalue()


def office(main: str, content_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/{main}" '
            f'ContentType="{content_type}"/></Types>',
        )
        archive.writestr(main, "<x/>")
    return buffer.getvalue()


XLSX = office(
    "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)
DOCX = office(
    "word/document.xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
)
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/html")


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (PDF, uploads.PDF),
        (image("PNG"), uploads.PNG),
        (image("JPEG"), uploads.JPEG),
        (image("WEBP"), uploads.WEBP),
        (XLSX, uploads.XLSX),
        (DOCX, uploads.DOCX),
    ],
)
def test_each_allowed_type_is_accepted_under_a_generated_name(content, mime):
    # The user's name, its extension and the browser's type count for nothing.
    accepted = uploads.accept(upload("../../<b>trang chủ.html", content))
    assert accepted.mime == mime
    assert GENERATED.match(accepted.file.name)
    assert accepted.file.name.endswith("." + uploads.EXTENSIONS[mime])
    assert accepted.name == f"<b>trang chủ.{uploads.EXTENSIONS[mime]}"
    assert accepted.file.read() == content


@pytest.mark.parametrize(
    "content",
    [
        HTML,
        b"\x89PNG\r\n\x1a\n" + HTML,  # an HTML file disguised as PNG
        image("PNG")[:40] + HTML,
        b"%PDF-1.4\n" + HTML + b"\n%%EOF\n",  # an HTML file disguised as PDF
        b"%PDF-1.4\n<!DOCTYPE html>\n%%EOF",
        b"\xff\xd8\xff\xe0" + b"<svg onload=alert(1)>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"%PDF-1.4 no end",  # not a whole PDF
        b"\x89PNG\r\n\x1a\n" + b"0" * 64,  # not an image
        b"GIF89a\x01\x00\x01\x00",  # not on the list
        b"PK\x03\x04" + b"\x00" * 100,  # a broken zip
        b"MZ\x90\x00\x03",
        b"",
    ],
)
def test_a_disguised_or_broken_file_is_refused_with_a_translated_message(content):
    with pytest.raises(ValidationError) as error:
        uploads.accept(upload("anh.png", content))
    assert error.value.messages[0] in {
        "This type of file is not accepted (PDF, JPEG, PNG or WebP images, Word, Excel).",
        "The file is damaged or is not what its type says.",
    }


def test_a_zip_that_is_not_an_office_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("index.html", HTML)
    with pytest.raises(ValidationError):
        uploads.accept(upload("x.docx", buffer.getvalue()))


def test_size_and_type_limits_are_named_on_the_field():
    with pytest.raises(ValidationError) as error:
        uploads.accept(upload("big.pdf", PDF), max_bytes=10, field="file")
    assert "too large" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as error:
        uploads.accept(upload("scan.pdf", PDF), types=uploads.IMAGE_TYPES, field="photo")
    assert error.value.message_dict["photo"] == ["Choose a PNG, JPEG or WebP image."]


def test_names_are_cleaned_for_display():
    assert uploads.clean_name("C:\\Users\\x\\hồ sơ\u202egpj.exe") == "hồ sơgpj.exe"
    assert uploads.clean_name("../..") == "file"
    assert uploads.display_name("bao-cao.html", uploads.PDF) == "bao-cao.pdf"
    assert uploads.download_name("x.html", "evidence/2025/01/ab.bin") == "x.html.bin"
    assert uploads.download_name("ảnh.PNG", "evidence/2025/01/ab.png") == "ảnh.PNG"
    assert uploads.download_name("bằng chứng", "practices/2026/01/ab.pdf") == "bằng chứng.pdf"


def test_stored_names_are_always_generated_whatever_the_caller_passes():
    path = uploads.GeneratedPath("evidence")
    for given, extension in [("x.html", "bin"), ("a.JPEG", "jpg"), ("b.pdf", "pdf"), ("c", "bin")]:
        stored = path(None, given)
        assert re.match(rf"^evidence/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}$", stored)


def test_private_files_have_no_public_address(file_storages):
    storage = uploads.private_storage()
    name = storage.save("evidence/x.pdf", io.BytesIO(PDF))
    assert (file_storages["private"] / name).exists()
    assert not file_storages["public"].exists() or not any(file_storages["public"].rglob("*"))
    with pytest.raises(ValueError):
        storage.url(name)
    assert uploads.content_type_of(name) == "application/pdf"
    assert uploads.content_type_of("old/x.bin") == "application/octet-stream"


@pytest.mark.django_db
def test_files_stored_the_old_way_are_moved_safely_twice(file_storages, tree, admin_user):
    from thidua.movements.models import Evidence, Movement, Work

    movement = Movement.objects.create(
        title="Phong trào",
        slug="phong-trao",
        owner_unit=tree["city"],
        kind="standing",
        starts_on="2026-01-01",
        ends_on="2026-12-31",
    )
    work = Work.objects.create(movement=movement, owner_unit=tree["bo_de"], title="Đường hoa")
    old = FileSystemStorage(location=file_storages["public"])
    old.save("evidence/2025/01/anh-cong-trinh.png", io.BytesIO(image("PNG")))
    old.save("evidence/2025/01/x.html", io.BytesIO(b"\x89PNG\r\n\x1a\n" + HTML))
    good = Evidence.objects.create(work=work, file="evidence/2025/01/anh-cong-trinh.png")
    bad = Evidence.objects.create(work=work, file="evidence/2025/01/x.html")
    gone = Evidence.objects.create(work=work, file="evidence/2025/01/missing.pdf")
    specs = [uploads.StoredField("movements.Evidence", "file", "evidence", name_field="name")]

    assert uploads.move_stored_files(apps, specs) == {"moved": 2, "missing": 1, "kept": 0}
    good.refresh_from_db()
    bad.refresh_from_db()
    assert re.match(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.png$", good.file.name)
    assert good.name == "anh-cong-trinh.png"
    assert bad.file.name.endswith(".bin") and bad.name == "x.html"  # served as octet-stream
    assert (file_storages["private"] / good.file.name).read_bytes() == image("PNG")
    assert not [p for p in file_storages["public"].rglob("*") if p.is_file()]
    # Again: nothing moves, nothing breaks.
    assert uploads.move_stored_files(apps, specs) == {"moved": 0, "missing": 1, "kept": 2}
    assert Evidence.objects.get(pk=gone.pk).file.name == "evidence/2025/01/missing.pdf"


def test_files_written_in_a_failed_block_are_removed_and_kept_otherwise(file_storages):
    storage = uploads.private_storage()
    with uploads.files_removed_on_failure():
        kept = storage.save("a/kept.pdf", io.BytesIO(PDF))
    with pytest.raises(RuntimeError), uploads.files_removed_on_failure():
        with uploads.files_removed_on_failure():
            storage.save("a/inner.pdf", io.BytesIO(PDF))
        storage.save("a/outer.pdf", io.BytesIO(PDF))
        raise RuntimeError
    assert [p.name for p in (file_storages["private"] / "a").iterdir()] == [kept.split("/")[-1]]
