"""Pages of a COP."""
from flask import render_template

from cop.conferences import bp
from cop.conferences.models import Conference
from cop.db import db


@bp.get("/")
def index():
    """Every COP, newest edition first."""
    conferences = db.session.scalars(
        db.select(Conference).order_by(Conference.edition_year.desc(), Conference.title)
    ).all()
    return render_template("conferences/index.html", conferences=conferences)


@bp.get("/<int:conference_id>")
def show(conference_id: int):
    """A COP's overview: phase, calendar, parties, targets."""
    conference = db.get_or_404(Conference, conference_id)
    return render_template("conferences/show.html", conference=conference)
