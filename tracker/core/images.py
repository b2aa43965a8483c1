"""Checking and cleaning uploaded photos.

The type is decided by decoding the content, never by the file name. Images are re-encoded so
metadata such as the GPS position a phone writes into EXIF does not travel with a resident's photo.
"""
import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# 40 megapixels is more than any phone camera; larger files are decompression bombs.
MAX_PIXELS = 40_000_000


class ImageRejected(ValueError):
    """``reason`` is one of: ``type``, ``size``, ``pixels``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    sha256: str


def clean_image(raw: bytes, max_bytes: int) -> CleanImage:
    """Return the photo re-encoded without metadata.

    :raise ImageRejected: not a JPEG/PNG/WebP, larger than ``max_bytes``, or too many pixels.
    """
    if len(raw) > max_bytes:
        raise ImageRejected("size")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ImageRejected("type")
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageRejected("pixels")
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                fmt = image.format
                image.load()
                image = ImageOps.exif_transpose(image)
                if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                out = io.BytesIO()
                image.save(out, format=fmt, **({"quality": 88} if fmt != "PNG" else {}))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ImageRejected):
            raise
        raise ImageRejected("type") from exc
    data = out.getvalue()
    return CleanImage(data=data, content_type=ALLOWED_FORMATS[fmt],
                      sha256=hashlib.sha256(data).hexdigest())
