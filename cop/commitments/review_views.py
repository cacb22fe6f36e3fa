"""The presidency's review of submitted versions."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import loaders
from cop.commitments import bp, queries, review_thread, submission
from cop.commitments.forms import ReviewForm
from cop.db import db
from cop.errors import Invalid
from cop.rulebook import require, who_may


@bp.get("/<int:conference_id>/engagements/a-examiner")
@login_required
def queue(conference_id: int):
    """Versions awaiting the presidency's decision, oldest submission first."""
    conference = loaders.get_conference(conference_id)
    require(who_may("commitment.review", current_user, conference))
    pending = [c for c in db.session.scalars(queries.public_commitments(conference, status="submitted"))]
    messages = review_thread.counts([queries.latest_public(c).id for c in pending])
    return render_template("commitments/queue.html", conference=conference, pending=pending,
                           latest=queries.latest_public, messages=messages)


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
    if accept:
        flash(_("Version %(n)s acceptée dans la synthèse.", n=number), "success")
    else:
        flash(_("Version %(n)s renvoyée à la partie.", n=number), "success")
    return redirect(url_for(".show", conference_id=conference.id, commitment_id=commitment.id))


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/versions/<int:number>/fil")
@login_required
def comment(conference_id: int, commitment_id: int, number: int):
    """Add a message to the review thread of a filed version."""
    conference = loaders.get_conference(conference_id)
    commitment = queries.get_commitment(conference, commitment_id, current_user)
    version = queries.get_version(commitment, number, current_user)
    review_thread.add_comment(current_user, version, request.form.get("body", ""))
    db.session.commit()
    flash(_("Message ajouté au fil de l’examen."), "success")
    return redirect(url_for(".version", conference_id=conference.id, commitment_id=commitment.id, number=number,
                            _anchor="fil"))
