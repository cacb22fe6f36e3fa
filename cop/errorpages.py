"""Error pages in French, and domain errors turned into HTTP answers."""
import logging

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from cop.errors import DomainError

MESSAGES = {
    400: "La requête est mal formée.",
    403: "Vous n'avez pas le droit d'accéder à cette page.",
    404: "Cette page n'existe pas.",
    405: "Cette méthode n'est pas permise ici.",
    409: "Cette action n'est pas possible dans l'état actuel.",
    413: "Le fichier envoyé est trop volumineux.",
    422: "Les données envoyées ne sont pas valides.",
    429: "Trop de requêtes : réessayez dans un instant.",
    500: "Une erreur interne est survenue. L'équipe technique a été prévenue.",
    503: "Le service est momentanément indisponible.",
}


def _wants_json() -> bool:
    """True for API calls and clients that ask for JSON."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def answer(status: int, message: str):
    """Render an error as JSON or as a page."""
    if _wants_json():
        return jsonify(error={"status": status, "message": message}), status
    return render_template("errors/error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors and domain errors."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = MESSAGES.get(status, error.description or "")
        if status == 400 and error.description and "CSRF" in error.description:
            message = "Le formulaire a expiré ou n'est pas valide : rechargez la page et réessayez."
        return answer(status, message)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        if not isinstance(error, (OperationalError, InterfaceError)) and not error.connection_invalidated:
            raise error  # a bug, not an outage: the generic 500
        return database_unavailable(error)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        from cop.db import db

        db.session.rollback()
        return answer(error.status, error.message)


#: Seconds a client is asked to wait while the database is away (a restart takes a few seconds).
RETRY_AFTER = 10


def database_unavailable(error: Exception):
    """The database is unreachable (restarting, failing over): our 503 page or JSON, with Retry-After."""
    from cop.db import db
    from cop.extensions import login_manager

    logging.getLogger("cop.web").warning("database unavailable: %s", type(error).__name__)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: nothing to roll back
        pass
    # The page must not ask the database who is logged in: it is shown as to a visitor.
    if g.get("_login_user") is None:
        g._login_user = login_manager.anonymous_user()
    message = _("La base de données redémarre ou est injoignable : réessayez dans quelques secondes.")
    response, status = answer(503, message)
    response = make_response(response, status)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response
