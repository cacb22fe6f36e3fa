"""Pagination shared by every API list: ?page=1&per_page=50, with links to the neighbours."""
from typing import Callable

from flask import request
from sqlalchemy import Select

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
        raise Invalid(f"Le paramètre « {name} » doit être un entier de 1 à {MAX_PAGE}.")
    return int(raw)


def paginate(query: Select, serialize: Callable, **url_values) -> dict:
    """One page of a query as {"items", "page", "per_page", "total", "pages", "next", "previous"}."""
    page = _positive("page", 1)
    per_page = min(_positive("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)

    def link(number: int):
        return page_url("page", number, external=True, **url_values, per_page=per_page)

    return {
        "items": [serialize(item) for item in result.items],
        "page": page, "per_page": per_page, "total": result.total, "pages": result.pages,
        "next": link(page + 1) if page < result.pages else None,
        "previous": link(page - 1) if page > 1 else None,
    }
