"""Query-string helpers of the portal's pages: an id argument, the canonical URL of a page, a page of a list."""
from flask import request, url_for
from sqlalchemy import func, select

from cop.db import db


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


def paginate(query, page: int, per_page: int):
    """One page of a query, as `db.paginate`, without counting the rows when the page tells how many there are:
    a page shorter than `per_page` is the last one (or the first and only one, empty)."""
    found = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    if len(found.items) < found.per_page and (found.items or found.page == 1):
        found.total = (found.page - 1) * found.per_page + len(found.items)
    else:
        counted = select(func.count()).select_from(query.order_by(None).subquery())
        found.total = db.session.execute(counted).scalar()
    return found
