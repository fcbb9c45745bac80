"""Checks on an uploaded photo before it is decoded or stored: its type, bytes and pixels.

Used by every upload of a picture (a report's cover, an akim's photo), so that each refuses the
same files with the same messages: a file that is not a JPEG, PNG or WebP photo (a PDF or a
script renamed .jpg, an SVG), a file over the byte limit, and a decompression bomb — a small
file whose header declares more pixels than a server should ever decode.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000


def open_photo(
    upload, *, field: str, max_bytes: int = PHOTO_MAX_BYTES, max_pixels: int = PHOTO_MAX_PIXELS
) -> Image.Image:
    """The upload decoded, or a ValidationError on `field` saying what is wrong with it.

    The size is checked before anything is read, the pixel count from the header before the
    pixels are decoded (Pillow's own bomb check is a second line behind ours).
    """
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise ValidationError({field: _("The image is too large: at most %(mb)d MB.") % {"mb": max_bytes >> 20}})
    wrong_type = ValidationError({field: _("Upload a photo in JPEG, PNG or WebP format.")})
    too_many_pixels = ValidationError({field: _("The image has too many pixels.")})
    try:
        upload.seek(0)
        probe = Image.open(upload)
        if probe.format not in PHOTO_FORMATS:
            raise wrong_type
        if probe.width * probe.height > max_pixels:
            raise too_many_pixels
        probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise wrong_type from None
    finally:
        upload.seek(0)
    return image
