"""Stream a table's rows as CSV (formula cells neutralised) or as a JSON array, a batch at a time."""
import csv
import io
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Iterable, Iterator

from cop.db import db

BATCH = 1000
#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """A database value as the text or number the files carry."""
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def csv_cell(value) -> str:
    """A CSV cell: booleans as true/false, text that would run as a formula prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def rows(query) -> Iterator:
    """The rows of a query, fetched in batches (a server-side cursor on PostgreSQL)."""
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    yield from result


def csv_stream(header: list[str], records: Iterable, delimiter: str = ",") -> Iterator[str]:
    """CSV text, one chunk per batch of rows, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for count, record in enumerate(records, 1):
        writer.writerow([csv_cell(value) for value in record])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_stream(header: list[str], records: Iterable) -> Iterator[str]:
    """A JSON array of objects, one chunk per batch of rows."""
    yield "["
    chunk: list[str] = []
    for count, record in enumerate(records):
        item = json.dumps({name: _plain(value) for name, value in zip(header, record)}, ensure_ascii=False)
        chunk.append(("," if count else "") + "\n" + item)
        if len(chunk) == BATCH:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "\n]\n"
