"""Security headers on every response: a strict CSP with no inline script, nosniff, framing denied."""
from urllib.parse import urlsplit

from flask import Flask, Response, current_app


def _live_origin() -> str:
    """The ws(s):// origin of the live server, allowed in connect-src."""
    parts = urlsplit(current_app.config["COP_LIVE_URL"])
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def _headers(response: Response) -> Response:
    """Add the security headers a public site needs."""
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {_live_origin()}; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def init_app(app: Flask) -> None:
    """Hook the headers onto every response."""
    app.after_request(_headers)
