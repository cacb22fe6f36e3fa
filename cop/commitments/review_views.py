"""The presidency's review of submitted versions."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from cop import loaders
from cop.commitments import bp, queries, submission
from cop.commitments.forms import ReviewForm
from cop.db import db
from cop.errors import Forbidden, Invalid
from cop.permissions import can_manage_conference


@bp.get("/<int:conference_id>/engagements/a-examiner")
@login_required
def queue(conference_id: int):
    """Versions awaiting the presidency's decision, oldest submission first."""
    conference = loaders.get_conference(conference_id)
    if not can_manage_conference(current_user, conference):
        raise Forbidden("Seule la présidence de la COP examine les engagements.")
    pending = [c for c in db.session.scalars(queries.public_commitments(conference, status="submitted"))]
    return render_template("commitments/queue.html", conference=conference, pending=pending,
                           latest=queries.latest_public)


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/versions/<int:number>/examen")
@login_required
def review(conference_id: int, commitment_id: int, number: int):
    """Accept a submitted version into the synthesis, or return it with comments."""
    conference = loaders.get_conference(conference_id)
    commitment = queries.get_commitment(conference, commitment_id, current_user)
    version = queries.get_version(commitment, number, current_user)
    form = ReviewForm()
    if form.decision.data not in ("accept", "return"):
        raise Invalid("Choisissez d’accepter ou de renvoyer la version.")
    accept = form.decision.data == "accept"
    submission.review(current_user, version, accept, form.comment.data or "")
    db.session.commit()
    flash(f"Version {number} acceptée dans la synthèse." if accept else f"Version {number} renvoyée à la partie.",
          "success")
    return redirect(url_for(".show", conference_id=conference.id, commitment_id=commitment.id))
