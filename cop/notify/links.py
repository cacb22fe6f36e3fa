"""Absolute links for messages, inside a request or from a command (the demo, the worker)."""
from flask import current_app, has_request_context

from cop.urls import external_url


def link(endpoint: str, **values) -> str:
    """An absolute URL on COP_BASE_URL."""
    if has_request_context():
        return external_url(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["COP_BASE_URL"]):
        return external_url(endpoint, **values)
