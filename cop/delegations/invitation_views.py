"""The COP's invitations page: every pending invitation (resend, cancel) and invitations in bulk from a CSV file."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import permissions
from cop.auth.invitations import send_invitation
from cop.conferences.models import Conference
from cop.db import db
from cop.delegations import bp, bulk
from cop.delegations.forms import BulkInviteForm
from cop.dashboard.staff import pending_invitations
from cop.errors import DomainError, Forbidden


def _conference(conference_id: int) -> Conference:
    """The COP, for its presidency or secretariat."""
    conference = db.get_or_404(Conference, conference_id)
    if not permissions.can_invite(current_user, conference):
        raise Forbidden("Seules la présidence et le secrétariat de la COP gèrent les invitations.")
    return conference


def _page(conference: Conference, form: BulkInviteForm, problems=(), status: int = 200):
    """The page: the upload form, the problems of the last file, the pending invitations."""
    return render_template("delegations/invitations.html", conference=conference, form=form,
                           problems=list(problems), columns=bulk.COLUMNS,
                           invitations=pending_invitations(conference)), status


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
def invitations(conference_id: int):
    """Pending invitations; a CSV of names and e-mails invites everyone on it, or nobody."""
    conference = _conference(conference_id)
    form = BulkInviteForm()
    if not form.validate_on_submit():
        return _page(conference, form, status=422 if form.is_submitted() else 200)
    try:
        done = bulk.invite_many(current_user, conference, form.file.data.read(), form.encoding.data)
        db.session.commit()
    except bulk.BulkRefused as refused:
        db.session.rollback()
        return _page(conference, form, refused.problems, 422)
    for item in done:
        send_invitation(current_user, item.email, item.secret, conference, item.role, item.party, item.language)
    flash(_("%(n)s invitation(s) envoyée(s).", n=len(done)), "success")
    return redirect(url_for(".invitations", conference_id=conference.id))


@bp.post("/invitations/<int:token_id>/renvoyer")
@login_required
def resend_invitation(conference_id: int, token_id: int):
    """Send a fresh link in place of a pending one."""
    conference = _conference(conference_id)
    try:
        item = bulk.resend(current_user, conference, token_id)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(conference, BulkInviteForm(formdata=None), status=error.status)
    send_invitation(current_user, item.email, item.secret, conference, item.role, item.party, item.language)
    flash(_("Nouvelle invitation envoyée à %(email)s ; l’ancien lien ne fonctionne plus.", email=item.email), "success")
    return redirect(url_for(".invitations", conference_id=conference.id))


@bp.post("/invitations/<int:token_id>/annuler")
@login_required
def cancel_invitation(conference_id: int, token_id: int):
    """Cancel a pending invitation."""
    conference = _conference(conference_id)
    try:
        token = bulk.cancel(current_user, conference, token_id)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(conference, BulkInviteForm(formdata=None), status=error.status)
    flash(_("Invitation de %(email)s annulée : son lien ne fonctionne plus.", email=token.email), "success")
    return redirect(url_for(".invitations", conference_id=conference.id))
