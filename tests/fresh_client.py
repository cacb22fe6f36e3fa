"""A test client whose every request runs in its own app context, as in production.

The autouse fixture keeps an app context pushed for the whole test; Flask reuses it for the client's requests,
so `g` (Flask-Login's cached current_user, the permissions cache) and the database session would carry over from
one request to the next. Session rotation and "another client's cookie" tests need each request to start clean.
"""
import re

from flask.testing import FlaskClient

from cop.db import db


class FreshClient(FlaskClient):
    """Each request gets a new app context: a fresh `g` and its own database session."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_client(app) -> FreshClient:
    """A new browser, with its own cookie jar."""
    return FreshClient(app, app.response_class, use_cookies=True)


def sync() -> None:
    """End the test's own transaction so that it reads what the requests committed."""
    db.session.commit()


def link(caplog, path: str) -> str:
    """The secret of the last link to `path` written in the log (by cop.mail)."""
    found = re.findall(rf"{re.escape(path)}([A-Za-z0-9_\-]+)", caplog.text)
    assert found, f"no {path} link in the log"
    return found[-1]
