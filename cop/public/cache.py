"""A small in-process cache of published pages, keyed by the publication stamps they depend on, with ETags.

Only anonymous GET requests without pending flash messages are served from it: what they see depends
on the URL, the language and the published data, all of which are part of the key. A page of one COP
depends on that COP's stamp, a national page on the national one (`dependencies`); a write renews the
stamps of what it concerns (`scopes.py`), so a new accepted commitment shows at once in every worker while
a live vote invalidates nothing, and a territory's page only follows its own parties' rows. The tokens are
read before the page is built, so a page built while the data changed is kept under the old tokens. Concurrent
requests for the same missing page build it once.
"""
import hashlib
import threading
from functools import wraps

from flask import Response, current_app, g, make_response, request, session
from flask_login import current_user

from cop.db import db
from cop.public import stamp
from cop.public.flights import Flights

#: Bound on the bytes kept per worker (any query string makes a new key: the oldest entries go first).
MAX_BYTES = 32 * 1024 * 1024
_lock = threading.Lock()
#: Requests of this worker building a page, by key: the others wait for the first and reuse its answer.
flights = Flights()


class PageStore:
    """Answers by key, oldest first, within MAX_BYTES."""

    def __init__(self):
        self.entries: dict[tuple, tuple] = {}
        self.size = 0

    def get(self, key: tuple):
        return self.entries.get(key)

    def put(self, key: tuple, entry: tuple) -> None:
        """Keep an entry (tokens, body, mimetype, etag), dropping the oldest ones beyond the bound."""
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


def dependencies() -> tuple[str, ...]:
    """The stamps the answer depends on: a filière's page, that filière's filing stamps in its COP (found by
    `lookup`) and the COP's identity; another page of one COP, its COP's; a territory's answer, the set of parties
    ("parties") and, for each of its parties (`lookup`), that party's rows ("party:<id>"), what every territory's
    page of its COP shows ("party-common:<id>") and the COP's fair shares ("shares:<id>"), not the COP's stamp (an
    acceptance of another party keeps it); else the national pages' one, which every COP's writes renew."""
    args = request.view_args or {}
    conference_id = args.get("conference_id")
    view = current_app.view_functions.get(request.endpoint)
    if conference_id is not None and "sector_code" in args:
        return stamp.GLOBAL, f"filing:{conference_id}:?", "filing:?", f"identity:{conference_id}", "cop:?"
    if conference_id is not None and getattr(view, "cop_filing", False):
        return stamp.GLOBAL, f"filing:{conference_id}", "filing:?", "cop:?"
    if conference_id is not None:
        return stamp.GLOBAL, f"cop:{conference_id}", "cop:?"
    reads = getattr(view, "cop_reads", ())
    if lookup() is not None:
        return stamp.GLOBAL, "parties", "cop:?", *reads
    return stamp.GLOBAL, "all", *reads


def filing_only(view):
    """Mark a view of one COP that shows its filing data only (`scopes.FILING` and reference data, checked by
    tests/test_cache_scopes.py): it depends on "filing:<id>", so a meeting, a decision or the roadmap keeps it."""
    view.cop_filing = True
    return view


def lookup() -> tuple | None:
    """The stamps found through the URL's codes (`stamp.LOOKUPS`): a filière's in its COP, a territory's parties'."""
    args = request.view_args or {}
    if "conference_id" in args and "sector_code" in args:
        return "sector", (str(args["conference_id"]), str(args["sector_code"]))
    if "kind" in args and "code" in args:
        return "territory", (str(args["kind"]), str(args["code"]))
    return None


def revalidate(response: Response) -> Response:
    """Readers revalidate every time; an unchanged answer costs a 304."""
    response.headers["Cache-Control"] = "public, no-cache"
    return response.make_conditional(request)


def _hit(key: tuple, tokens: tuple) -> Response | None:
    """The answer kept under these tokens, if any."""
    entry = _store().get(key)
    if entry is None or entry[0] != tokens:
        return None
    response = Response(entry[1], mimetype=entry[2])
    response.set_etag(entry[3])
    return response


def cached() -> Response | None:
    """The cached answer to this request, if the data it depends on has not changed since it was built.

    On a miss, the request holds the page's flight until `finish()`: a concurrent request for the same page
    waits, then finds the answer built under the same tokens.
    """
    g.cop_stamp = None
    if not _cacheable():
        return None
    tokens = stamp.current(db.engine, dependencies(), lookup())
    if tokens is None:
        return None
    g.cop_stamp = tokens
    key = _key()
    hit = _hit(key, tokens)
    if hit is None:
        flights.acquire(key)
        g.cop_flight = key
        hit = _hit(key, tokens)
    return hit


def finish() -> None:
    """Let the requests waiting for this page in."""
    key = g.pop("cop_flight", None)
    if key is not None:
        flights.release(key)


def remember(response: Response) -> Response:
    """Keep a successful answer under the tokens read before it was built, with its ETag."""
    tokens = g.get("cop_stamp")
    if tokens is None or response.status_code != 200 or response.is_streamed:
        return response
    body = response.get_data()
    etag = hashlib.sha256("|".join(tokens).encode() + body).hexdigest()[:32]
    response.set_etag(etag)
    _store().put(_key(), (tokens, body, response.mimetype, etag))
    return response


def published(view=None, *, reads: tuple[str, ...] = ()):
    """Serve a public view from the cache while the data it depends on has not changed.

    `reads` names the extra scopes the view shows beyond its COP or the national data (e.g. "speaking").
    """
    if view is None:
        return lambda inner: published(inner, reads=reads)

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            hit = cached()
            if hit is not None:
                return revalidate(hit)
            return revalidate(remember(make_response(view(*args, **kwargs))))
        finally:
            finish()
    wrapper.cop_reads = reads
    return wrapper
