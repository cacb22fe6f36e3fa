"""Pagination shared by every API list: ?page=1&per_page=50, with links to the neighbours."""
from math import ceil
from typing import Callable

from flask import request
from sqlalchemy import Select, func, select

from cop.db import db
from cop.errors import Invalid
from cop.pagination import page_url

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
#: Beyond this, a page number is refused (an offset too large for the database is a 422, not a 500).
MAX_PAGE = 1_000_000


def _positive(name: str, default: int) -> int:
    """An integer query argument of at least 1."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_PAGE:
        raise Invalid(
            "Le paramètre « %(name)s » doit être un entier de 1 à %(max)s.",
            name=name, max=MAX_PAGE)
    return int(raw)


def _arguments() -> tuple[int, int]:
    """The page asked and its size."""
    return _positive("page", 1), min(_positive("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)


def _page(items: list, page: int, per_page: int, total: int, pages: int, url_values: dict) -> dict:
    """A page as the API answers it, with links to its neighbours."""
    def link(number: int):
        return page_url("page", number, external=True, **url_values, per_page=per_page)

    return {
        "items": items,
        "page": page, "per_page": per_page, "total": total, "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
    }


def paginate(query: Select, serialize: Callable, **url_values) -> dict:
    """One page of a query as {"items", "page", "per_page", "total", "pages", "next", "previous"}."""
    page, per_page = _arguments()
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    return _page([serialize(item) for item in result.items], page, per_page, result.total, result.pages, url_values)


def paginate_rows(statement: Select, serialize: Callable[[list], list], **url_values) -> dict:
    """One page of a select of plain rows (no ORM objects: a long list costs a tenth of its objects' loading), as
    `paginate`; `serialize` turns the page's rows into its items at once (reading what they need together)."""
    page, per_page = _arguments()
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    return _page(serialize(rows), page, per_page, total, ceil(total / per_page) if total else 0, url_values)
