"""Query-string helpers of the portal's pages: an id argument, and the canonical URL of a page."""
from flask import request, url_for


def id_arg(name: str) -> int | None:
    """An id from the query string, None when missing, malformed or beyond what the database stores."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value < 2**31 else None


def canonical_url(*keep: str) -> str:
    """The absolute URL of this page with only the query arguments that change its content, sorted."""
    args = {name: request.args[name] for name in sorted(keep) if request.args.get(name)}
    if args.get("page") == "1":
        del args["page"]
    return url_for(request.endpoint, _external=True, **(request.view_args or {}), **args)

