"""The only way a report's HTML may load anything: files inside ``templates/reports/assets``.

WeasyPrint fetches whatever a document references — ``http://`` images, ``@import``s, and ``<a rel=attachment
href=file:///etc/passwd>``, which it embeds in the PDF. Report templates autoescape every value, so user text
cannot add markup; this fetcher is the second wall: no network, no ``data:``, no file outside the assets
directory (symlinks resolved), whatever the HTML says.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from registry.config import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "templates" / "reports" / "assets"

log = logging.getLogger(__name__)


class BlockedURL(ValueError):
    """A report tried to load something other than one of its own assets."""


class ReportURLFetcher(URLFetcher):
    """Serve files under ``assets_dir``; refuse every other URL (and count the refusals)."""

    def __init__(self, assets_dir: Path | str = ASSETS, **kw: Any) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=2, **kw)
        self.assets = Path(assets_dir).resolve()
        self._lock = threading.Lock()
        #: URLs refused so far (for tests and the log)
        self.blocked: list[str] = []
        #: assets served so far
        self.served: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self._asset_path(url)
        if path is None:
            with self._lock:
                self.blocked.append(url[:200])
            log.warning("report fetch blocked: %.200r", url)
            raise BlockedURL(f"reports load only their own assets; blocked {url[:100]!r}")
        with self._lock:
            self.served.append(path.name)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": ctype})

    def open(self, *args: Any, **kwargs: Any) -> Any:  # never let the urllib machinery run
        raise BlockedURL("reports never open URLs directly")

    def _asset_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(urllib.request.url2pathname(parts.path)).resolve()
        except (OSError, ValueError):
            return None
        if path.is_relative_to(self.assets) and path.is_file():
            return path
        return None


def base_url() -> str:
    """The base URL report HTML is rendered with: relative links resolve inside the assets directory."""
    return ASSETS.as_uri() + "/"
