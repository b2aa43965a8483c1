"""A signature drawn on screen (tablets are common at the table), as the page and the API send
it: a PNG data URL, checked and re-encoded like any uploaded picture.

What the picture is comes from decoding it, never from the data URL's prefix: only a PNG is taken,
as the signing page's canvas draws nothing else, so the drawing is stored, served and printed as
the PNG it is."""
import base64
import binascii
import io
import warnings

from PIL import Image, UnidentifiedImageError

from tracker.core.i18n import lazy_gettext as _l
from tracker.core.images import ALLOWED_FORMATS, ImageRejected, clean_image

MAX_DRAWING_BYTES = 512 * 1024


class NotPng(ImageRejected):
    """A picture, but not a PNG; ``found`` is what it decodes as (JPEG, GIF …)."""

    def __init__(self, found: str):
        super().__init__("type")
        self.found = found


def not_png_message(exc: NotPng):
    """What the signer is told, on the page and through the API."""
    return _l("The drawn signature must be a PNG picture, as the signing page draws it, not "
              "%(format)s; nothing was signed.", format=exc.found)


def picture_format(data: bytes) -> str | None:
    """What ``data`` decodes as (Pillow's name: PNG, JPEG …), or None if it is no picture.
    Only the header is read; :func:`clean_image` checks the rest."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                return probe.format
    except Image.DecompressionBombError as exc:
        raise ImageRejected("pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def drawing_content_type(data: bytes) -> str | None:
    """The media type of a stored drawing, read from its bytes (None: not a picture we take)."""
    try:
        return ALLOWED_FORMATS.get(picture_format(data))
    except ImageRejected:
        return None


def decode_drawing(data_url: str) -> bytes | None:
    """The PNG of ``data_url``, re-encoded; None when nothing was drawn.

    :raise NotPng: a picture of another kind, whatever the prefix says.
    :raise ImageRejected: not a PNG data URL, or not a picture within the size limit.
    """
    if not data_url:
        return None
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ImageRejected("type")
    try:
        raw = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageRejected("type") from exc
    if len(raw) > MAX_DRAWING_BYTES:
        raise ImageRejected("size")
    found = picture_format(raw)
    if found is None:
        raise ImageRejected("type")
    if found != "PNG":
        raise NotPng(found)
    return clean_image(raw, MAX_DRAWING_BYTES).data
