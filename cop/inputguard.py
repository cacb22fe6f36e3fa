"""One guard for hostile input on every door: NUL and control characters, numbers beyond the database's range.

Forms, query strings and JSON bodies are checked before any view runs (400, a French page or JSON); a value that
still overflows a column when it is written (an integer beyond 64 bits, text the database cannot encode) is refused
with a 400 and the transaction rolled back, never a 500 and a traceback. The live server applies `check_value` to
command arguments and turns the same database refusals into an `invalid` error frame.
"""
import re

from flask import Flask, request
from sqlalchemy.exc import DataError, StatementError
from werkzeug.exceptions import BadRequest

#: C0 controls other than tab, line feed and carriage return, DEL, and lone surrogates.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: The largest integer SQLite and PostgreSQL (bigint) store; a longer digit string is not a number we keep.
MAX_INT = 2**63 - 1
MESSAGE_CONTROL = "Les données envoyées contiennent des caractères de contrôle (octet nul…) : retirez-les et réessayez."
MESSAGE_RANGE = ("Une valeur envoyée dépasse ce que la plateforme peut enregistrer "
                 "(nombre trop grand ou texte illisible).")
MAX_DEPTH = 20


class HostileInput(BadRequest):
    """Input no form may accept; answered with a 400 in French."""

    def __init__(self, message: str = MESSAGE_CONTROL):
        super().__init__(message)
        self.message = message


def check_value(value, depth: int = 0) -> None:
    """Raise HostileInput when a string anywhere in value holds a forbidden character or an out-of-range integer."""
    if depth > MAX_DEPTH:
        raise HostileInput(MESSAGE_RANGE)
    if isinstance(value, str):
        if FORBIDDEN.search(value):
            raise HostileInput()
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            raise HostileInput(MESSAGE_RANGE)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key, depth + 1)
            check_value(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            check_value(item, depth + 1)


def _guard() -> None:
    """Before every view: refuse hostile form fields, query arguments, file names and JSON bodies."""
    if request.method in ("GET", "HEAD") and request.path.startswith("/api/"):
        return  # the read-only API answers what its OpenAPI document says about any string it is given
    check_value(request.path)
    for values in (request.args, request.form):
        for key, items in values.lists():
            check_value(key)
            check_value(items)
    for upload in request.files.values():
        check_value(upload.filename or "")
    if request.is_json:
        check_value(request.get_json(silent=True))


def init_app(app: Flask) -> None:
    """Install the guard, and answer database range errors with a 400."""
    from cop.errorpages import answer

    app.before_request(_guard)

    @app.errorhandler(HostileInput)
    def hostile(error: HostileInput):
        from cop.db import db

        db.session.rollback()
        return answer(400, error.message)

    def out_of_range(error):
        from flask import request

        from cop.db import db

        db.session.rollback()
        # The read-only API documents a bad parameter as 422 (its OpenAPI document); forms answer 400.
        return answer(422 if request.path.startswith("/api/") else 400, MESSAGE_RANGE)

    for kind in (DataError, OverflowError, UnicodeEncodeError):
        app.register_error_handler(kind, out_of_range)

    @app.errorhandler(StatementError)
    def statement_error(error: StatementError):
        if isinstance(getattr(error, "orig", None), (OverflowError, UnicodeEncodeError, ValueError)):
            return out_of_range(error)
        raise error
