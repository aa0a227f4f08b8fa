"""Uploaded images: checked by content, limited in bytes and pixels, re-encoded without metadata."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000


def clean_image(upload, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
                max_side: int = 2400) -> ContentFile:
    """Return a re-encoded copy (EXIF and other metadata dropped) or raise ValidationError."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large (at most %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise ValidationError(
                        _("Upload a JPEG, PNG or WebP image."), code="bad_type"
                    )
                if probe.width * probe.height > max_pixels:
                    raise ValidationError(_("The image has too many pixels."), code="too_big")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image has too many pixels."), code="too_big") from None
    except Exception:
        raise ValidationError(
            _("This file is not a valid image. Upload a JPEG, PNG or WebP image."),
            code="bad_type",
        ) from None

    image.thumbnail((max_side, max_side))
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if fmt != "JPEG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    # Saving without exif=/pnginfo= drops EXIF, GPS and text chunks.
    image.save(out, format=fmt, quality=85, optimize=True)
    base = (getattr(upload, "name", "") or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0][:40]
    return ContentFile(out.getvalue(), name=f"{base or 'image'}.{FORMATS[fmt]}")
