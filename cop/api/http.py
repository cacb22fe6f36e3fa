"""HTTP behaviour of every /api/v1 answer: the published-data cache, ETag, Cache-Control and open CORS for reads."""
import hashlib

from flask import Response, g, request

from cop.api import bp
from cop.public import cache

READ_METHODS = ("GET", "HEAD", "OPTIONS")


@bp.before_request
def serve_cached():
    """Answer from the cache when the published data has not changed since the answer was built."""
    hit = cache.cached()
    g.cop_cache_hit = hit is not None
    return cache.revalidate(hit) if hit is not None else None


@bp.teardown_request
def let_waiting_requests_in(error=None) -> None:
    """Release this request's hold on the page it was building."""
    cache.finish()


@bp.after_request
def http_headers(response: Response) -> Response:
    """Cache what is new, then add the ETag, Cache-Control and CORS headers."""
    fresh = not g.get("cop_cache_hit")
    if fresh and request.method == "GET" and response.status_code == 200 and not response.is_streamed:
        cache.remember(response)
        if not response.get_etag()[0]:
            response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response = cache.revalidate(response)
    return _headers(response)


def _headers(response: Response) -> Response:
    """Open CORS for reads; say which headers a browser script may read."""
    if request.method in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, Content-Type"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
    response.headers.setdefault("Cache-Control", "public, no-cache")
    return response
