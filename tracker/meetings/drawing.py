"""A signature drawn on screen (tablets are common at the table), as the page and the API send
it: a PNG data URL, checked and re-encoded like any uploaded picture."""
import base64
import binascii

from tracker.core.images import ImageRejected, clean_image

MAX_DRAWING_BYTES = 512 * 1024


def decode_drawing(data_url: str) -> bytes | None:
    """The PNG of ``data_url``, re-encoded; None when nothing was drawn.

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
    return clean_image(raw, MAX_DRAWING_BYTES).data
