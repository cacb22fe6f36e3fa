"""Pages behind one-use links: accepting an invitation, resetting a password."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from cop import labels
from cop.auth import bp, throttle
from cop.auth.forms import ConfirmForm, ExistingAccountForm, NewAccountForm, NewPasswordForm, ResetRequestForm
from cop.auth.invitations import accept, check_acceptable
from cop.auth.models import AccountToken, User
from cop.auth.reset import REQUEST_ANSWER, prepare_reset, reset_after_response, reset_password
from cop.auth.services import authenticate, create_user, find_token, normalize_email
from cop.auth.views import LOGIN_REFUSED, start_session
from cop.conferences.models import Conference, Membership, Party
from cop.db import db
from cop.errors import Invalid


@bp.route("/invitation/<secret>", methods=["GET", "POST"])
def invitation(secret: str):
    """Accept an invitation: create the account or prove it, then join the conference."""
    token = find_token("invitation", secret)
    conference = db.session.get(Conference, token.conference_id)
    party = db.session.get(Party, token.party_id) if token.party_id else None
    user = db.session.scalar(db.select(User).filter_by(email=token.email))
    check_acceptable(conference, token.role, party, user)
    form = _invitation_form(user)
    if form.validate_on_submit():
        accepting = _invitee(form, token, user)
        if accepting is not None:
            return _welcome(accepting, accept(token, accepting))
        flash(str(LOGIN_REFUSED), "error")
        status = 401
    else:
        status = 422 if form.is_submitted() else 200
    return render_template("auth/invitation.html", form=form, token=token, conference=conference, party=party,
                           invitee=user, role_label=labels.role(token.role)), status


def _invitation_form(user: User | None):
    """New account, password of an existing account, or a bare confirmation when already logged in as the invitee."""
    if user is None:
        return NewAccountForm()
    if current_user.is_authenticated and current_user.id == user.id:
        return ConfirmForm()
    return ExistingAccountForm()


def _invitee(form, token: AccountToken, user: User | None) -> User | None:
    """The account accepting: created now, proved by its password, or the one logged in (None if refused)."""
    if isinstance(form, NewAccountForm):
        return create_user(token.email, form.password.data, form.name.data)
    if isinstance(form, ExistingAccountForm):
        return authenticate(token.email, form.password.data)
    return user


def _welcome(user: User, membership: Membership):
    """Commit the membership, log the invitee in, and show where they now belong."""
    start_session(user)
    title, role = membership.conference.title, labels.role(membership.role)
    if membership.party:
        flash(_("Bienvenue : votre rôle dans « %(title)s » est désormais « %(role)s », pour %(party)s.",
                title=title, role=role, party=membership.party.name), "success")
    else:
        flash(_("Bienvenue : votre rôle dans « %(title)s » est désormais « %(role)s ».", title=title, role=role),
              "success")
    if membership.role == "head_of_delegation":   # the party's desk: its commitments, what is asked of it
        return redirect(url_for("commitments.party", conference_id=membership.conference_id,
                                party_id=membership.party_id))
    if membership.party_id:
        return redirect(url_for("delegations.show", conference_id=membership.conference_id,
                                party_id=membership.party_id))
    return redirect(url_for("auth.account"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link; the answer is the same, and as quick, whether the address has an account or not."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            email = normalize_email(form.email.data)
        except Invalid as error:
            form.email.errors.append(error.message)
        else:
            wait = throttle.reset_client_wait(request.remote_addr)
            if wait:
                flash(_("Trop de demandes de réinitialisation depuis votre réseau : réessayez dans %(n)s minute(s).",
                        n=wait // 60 + 1), "error")
                return render_template("auth/forgot.html", form=form), 429
            allowed = throttle.reset_account_allowed(email)
            throttle.reset_requested(email, request.remote_addr)
            db.session.commit()
            secret, url = prepare_reset()
            flash(str(REQUEST_ANSWER), "info")
            response = redirect(url_for("auth.login"))
            if allowed:  # at most 3 links an hour for one address; the answer does not say
                app = current_app._get_current_object()
                response.call_on_close(lambda: reset_after_response(app, email, secret, url))
            return response
    status = 422 if form.is_submitted() else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/mot-de-passe/<secret>", methods=["GET", "POST"])
def reset(secret: str):
    """Choose a new password from a reset link; every session of the account ends."""
    token = find_token("password_reset", secret)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = reset_password(token, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Mot de passe changé pour %(email)s. Connectez-vous avec le nouveau.", email=user.email), "success")
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form, email=token.email), status
