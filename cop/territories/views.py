"""The page of a territory."""
from flask import abort, render_template

from cop.db import db
from cop.territories import bp
from cop.territories.models import Territory


@bp.get("/<kind>/<code>")
def show(kind: str, code: str):
    """A region, a département or an EPCI, by its official code."""
    territory = db.session.scalar(db.select(Territory).filter_by(kind=kind, code=code))
    if territory is None:
        abort(404)
    return render_template("territories/show.html", territory=territory)
