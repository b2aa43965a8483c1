"""Rendering HTML to PDF with WeasyPrint, reading nothing but the app's own static files."""
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
# Pages reference static files under this pseudo-host; nothing else is fetched.
ASSET_BASE = "https://tracker.invalid/static/"


class RestrictedFetcher(URLFetcher):
    """Serve ``ASSET_BASE`` URLs from the package and ``data:`` URIs; refuse everything else.

    Minutes contain text typed by users; a ``file:`` or network URL in them must never be read
    (Indico restricts its fetcher the same way).
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(ASSET_BASE):
            relative = unquote(urlparse(url).path).removeprefix("/static/")
            path = (STATIC_ROOT / relative).resolve()
            if STATIC_ROOT in path.parents and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise ValueError(f"refused to fetch {url[:80]!r}")


def render_pdf(html: str) -> bytes:
    fetcher = RestrictedFetcher(allowed_protocols=("data", "https"))
    return HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).write_pdf()
