"""Pictures made for the upload checks."""
import io
import os

from PIL import Image


def noise_jpeg(size=(420, 420)) -> bytes:
    """A real photo too large for the tests' 200 KB limit (noise does not compress)."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "JPEG",
                                                                        quality=95)
    assert len(out.getvalue()) > 200 * 1024
    return out.getvalue()
