"""Pages of long lists: a page number that cannot break the query, a page of a select or of a list, neighbours' URLs.

The JSON API reads its page arguments strictly (a bad one is a 422) in `cop/api/pagination.py`, on top of this.
"""
from math import ceil

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from cop.db import db

PER_PAGE = 50
MAX_PAGE = 10_000


def page_arg(name: str = "page") -> int:
    """A page number from the query string, clamped to 1..MAX_PAGE (missing or junk reads as 1)."""
    raw = request.args.get(name, "")
    if not raw.isdecimal():
        return 1
    try:
        number = int(raw)
    except ValueError:  # more digits than int() reads from a string
        return MAX_PAGE
    return min(max(number, 1), MAX_PAGE)


def paginate(statement: Select, per_page: int = PER_PAGE, name: str = "page") -> Pagination:
    """One page of a select, at the page the query string names."""
    return db.paginate(statement, page=page_arg(name), per_page=per_page, error_out=False)


def page_of(query, page: int, per_page: int, total: int | None = None) -> Pagination:
    """One page of a query, as `db.paginate`, without counting the rows when the page tells how many there are
    (a page shorter than `per_page` is the last one, or the first and only one, empty) or when the caller knows
    the query's `total` from a statement it runs anyway."""
    found = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    if total is not None:
        found.total = total
    elif len(found.items) < found.per_page and (found.items or found.page == 1):
        found.total = (found.page - 1) * found.per_page + len(found.items)
    else:
        counted = select(func.count()).select_from(query.order_by(None).subquery())
        found.total = db.session.execute(counted).scalar()
    return found


def page_url(param: str, number: int, external: bool = False, **values) -> str:
    """This page's URL with one query argument (a page number) changed and the others kept (or set by `values`)."""
    args = {**(request.view_args or {}), **request.args.to_dict(), **values, param: number}
    return url_for(request.endpoint, _external=external, **args)


class ListPage:
    """One page of a list already in memory, with the attributes of Flask-SQLAlchemy's pagination."""

    def __init__(self, items: list, page: int, per_page: int):
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(ceil(self.total / per_page), 1)
        self.page = min(page, self.pages)
        self.items = items[(self.page - 1) * per_page: self.page * per_page]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
