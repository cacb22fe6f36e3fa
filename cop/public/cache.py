"""A small in-process cache of published pages, keyed by the publication stamp, with ETags.

Only anonymous GET requests without pending flash messages are served from it: what they see depends
on the URL, the language and the published data, all of which are part of the key. A write to any
public table renews the stamp, so a new accepted commitment shows at once in every worker. The token
is read before the page is built, so a page built while the data changed is kept under the old token.
"""
import hashlib
import threading
from functools import wraps

from flask import Response, current_app, g, make_response, request, session
from flask_login import current_user

from cop.db import db
from cop.public import stamp

#: Bound on the bytes kept per worker (any query string makes a new key: the oldest entries go first).
MAX_BYTES = 32 * 1024 * 1024
_lock = threading.Lock()


class PageStore:
    """Answers by key, oldest first, within MAX_BYTES."""

    def __init__(self):
        self.entries: dict[tuple, tuple] = {}
        self.size = 0

    def get(self, key: tuple):
        return self.entries.get(key)

    def put(self, key: tuple, entry: tuple) -> None:
        """Keep an entry (token, body, mimetype, etag), dropping the oldest ones beyond the bound."""
        with _lock:
            old = self.entries.pop(key, None)
            self.size += len(entry[1]) - (len(old[1]) if old else 0)
            self.entries[key] = entry
            while self.size > MAX_BYTES and len(self.entries) > 1:
                self.size -= len(self.entries.pop(next(iter(self.entries)))[1])


def _store() -> PageStore:
    """This app's cache (one per app, so test apps never share pages)."""
    return current_app.extensions.setdefault("cop_page_cache", PageStore())


def _cacheable() -> bool:
    """True when the answer cannot depend on who asks."""
    if request.method != "GET" or session.get("_flashes"):
        return False
    return not current_user.is_authenticated


def _key() -> tuple:
    """Host, path with query string, and language."""
    from cop.extensions import select_locale

    return request.host, request.full_path, select_locale()


def revalidate(response: Response) -> Response:
    """Readers revalidate every time; an unchanged answer costs a 304."""
    response.headers["Cache-Control"] = "public, no-cache"
    return response.make_conditional(request)


def cached() -> Response | None:
    """The cached answer to this request, if the published data has not changed since it was built."""
    g.cop_stamp = None
    if not _cacheable():
        return None
    token = stamp.current(db.engine)
    if token is None:
        return None
    g.cop_stamp = token
    entry = _store().get(_key())
    if entry is None or entry[0] != token:
        return None
    response = Response(entry[1], mimetype=entry[2])
    response.set_etag(entry[3])
    return response


def remember(response: Response) -> Response:
    """Keep a successful answer under the token read before it was built, with its ETag."""
    token = g.get("cop_stamp")
    if token is None or response.status_code != 200 or response.is_streamed:
        return response
    body = response.get_data()
    etag = hashlib.sha256(token.encode() + body).hexdigest()[:32]
    response.set_etag(etag)
    _store().put(_key(), (token, body, response.mimetype, etag))
    return response


def published(view):
    """Serve a public view from the cache while the published data has not changed."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        hit = cached()
        if hit is not None:
            return revalidate(hit)
        return revalidate(remember(make_response(view(*args, **kwargs))))
    return wrapper
