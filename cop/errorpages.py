"""Error pages in French, and domain errors turned into HTTP answers."""
from flask import Flask, jsonify, render_template, request
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

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        from cop.db import db

        db.session.rollback()
        return answer(error.status, error.message)
