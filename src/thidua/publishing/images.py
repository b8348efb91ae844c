"""Photo renditions with Pillow: WebP and JPEG at screen widths, and a print copy (JPEG at
2480 px, A4 width at 300 dpi, when the original is that large). Stored beside the original in
private storage and served by the portal's photo view."""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from thidua.core.uploads import private_storage

WIDTHS = (480, 960)
PRINT_WIDTH = 2480
FORMATS = {"webp": "WEBP", "jpg": "JPEG"}
MAX_PIXELS = 40_000_000


def open_image(content: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(content))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("This image is too large (more than 40 megapixels)."))
        image.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This image cannot be read.")) from error
    image = ImageOps.exif_transpose(image)
    return image.convert("RGB")


def make_renditions(original_name: str, content: bytes) -> tuple[dict[str, str], int, int]:
    """Write the renditions of one photo; answer {"960.webp": stored name, ...}, width, height."""
    image = open_image(content)
    storage = private_storage()
    stem = PurePosixPath(original_name).with_suffix("")
    made: dict[str, str] = {}
    for width in (*WIDTHS, PRINT_WIDTH):
        copy = image.copy()
        if copy.width > width:
            copy.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
        extensions = ("jpg",) if width == PRINT_WIDTH else tuple(FORMATS)
        for extension in extensions:
            buffer = io.BytesIO()
            options = {"quality": 90 if width == PRINT_WIDTH else 80}
            if width == PRINT_WIDTH:
                options["dpi"] = (300, 300)
            copy.save(buffer, FORMATS[extension], **options)
            name = storage.save(f"{stem}-{width}.{extension}", ContentFile(buffer.getvalue()))
            made[f"{width}.{extension}"] = name
    return made, image.width, image.height
