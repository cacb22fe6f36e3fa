"""Versioned static URLs (`?v=<content hash>`), so that nginx may let browsers keep static files for a year."""
import hashlib
from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
    """Add each static file's content hash to its URL; behind a proxy, trust its forwarded headers."""
    versions: dict[str, str] = {}
    folder = Path(app.static_folder)

    @app.url_defaults
    def version_static(endpoint, values):
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        filename = values["filename"]
        if filename not in versions:
            path = folder / filename
            versions[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""
        if versions[filename]:
            values["v"] = versions[filename]

    hops = app.config.get("COP_PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
