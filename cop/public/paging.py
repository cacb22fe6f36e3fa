"""Pagination helpers: the page number from the query string, and a page over a Python list."""
from math import ceil

from flask import request, url_for

MAX_PAGE = 10_000


def page_arg(name: str = "page") -> int:
    """A page number from the query string, 1 when missing or malformed."""
    value = request.args.get(name, 1, type=int) or 1
    return min(max(value, 1), MAX_PAGE)


def id_arg(name: str) -> int | None:
    """An id from the query string, None when missing, malformed or beyond what the database stores."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value < 2**31 else None


def page_url(param: str, number: int) -> str:
    """This page's URL with one query argument (a page number) changed and the others kept."""
    return url_for(request.endpoint, **{**(request.view_args or {}), **request.args.to_dict(), param: number})


def canonical_url(*keep: str) -> str:
    """The absolute URL of this page with only the query arguments that change its content, sorted."""
    args = {name: request.args[name] for name in sorted(keep) if request.args.get(name)}
    if args.get("page") == "1":
        del args["page"]
    return url_for(request.endpoint, _external=True, **(request.view_args or {}), **args)


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
