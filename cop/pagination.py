"""Pages of 50 rows for long lists, with a page number that cannot break the query."""
from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from cop.db import db

PER_PAGE = 50
MAX_PAGE = 10_000


def page_number() -> int:
    """The ?page= of the request, clamped to 1..MAX_PAGE (junk reads as 1)."""
    raw = request.args.get("page", "")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1


def paginate(statement: Select) -> Pagination:
    """One page of a select, PER_PAGE rows long."""
    return db.paginate(statement, page=page_number(), per_page=PER_PAGE, error_out=False)
