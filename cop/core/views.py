"""Home page, health check and language switch."""
from flask import jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from cop.core import bp
from cop.db import db
from cop.public import views as public_views
from cop.urls import safe_next


@bp.get("/")
def index():
    """The home page is the citizens' portal's: the COPs by region (cop/public/views.py)."""
    return public_views.home()


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means the database is unreachable
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


@bp.get("/langue/<code>")
def language(code: str):
    """Remember the reader's language and go back where they were."""
    if code in ("fr", "en"):
        session["lang"] = code
        if current_user.is_authenticated and current_user.language != code:   # messages follow the reader
            current_user.language = code
            db.session.commit()
    return redirect(safe_next(request.args.get("next")) or url_for("core.index"))
