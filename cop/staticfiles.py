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
