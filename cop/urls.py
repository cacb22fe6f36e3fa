"""URL helpers shared by views."""
from urllib.parse import urlsplit

from flask import current_app, url_for
from werkzeug.routing import IntegerConverter


def safe_next(target: str | None) -> str | None:
    """Return target when it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers drop tabs and newlines and read "\\" as "/": "/\t/evil.example" would leave the site.
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message sent outside the site, on the configured public base URL."""
    base = current_app.config["COP_BASE_URL"].rstrip("/")
    return base + url_for(endpoint, **values)


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: at most 2**31 - 1, the largest id the database stores (larger is a 404, not a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
