"""Login, logout and the account page."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.orm import joinedload

from cop.auth import bp, device, throttle
from cop.auth.forms import ChangePasswordForm, LoginForm
from cop.auth.models import User
from cop.auth.services import authenticate, change_password, rotate_session
from cop.conferences.models import Conference, Membership
from cop.db import db, utcnow
from cop.errors import Invalid
from cop.extensions import login_manager
from cop.notify import preferences
from cop.notify.forms import MailPreferencesForm
from cop.urls import safe_next

#: The one answer to a failed login, whatever failed (unknown address, wrong password, disabled account).
LOGIN_REFUSED = _l("Adresse électronique ou mot de passe incorrect.")


@login_manager.user_loader
def load_user(user_id: str):
    """Find the user of a session cookie; a rotated nonce or a disabled account ends it."""
    ident, _, nonce = (user_id or "").partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_nonce != nonce or user.is_disabled:
        return None
    return user


def _fresh_session() -> None:
    """Empty the session cookie, keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def start_session(user: User) -> None:
    """Commit what led here, then log in on a fresh session cookie.

    The nonce is not rotated here, so a chair may keep the console open on one device and the projector view on
    another; logout and a password change rotate it and end every session of the account.
    """
    user.last_visit_dt = utcnow()
    db.session.commit()
    _fresh_session()
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password; the session is renewed."""
    form = LoginForm()
    if form.validate_on_submit():
        email, client = form.email.data, request.remote_addr
        wait = throttle.login_wait(email, client, device.is_known(request, email))
        if wait:
            flash(_wait_message(wait), "error")
            return render_template("auth/login.html", form=form), 429
        user = authenticate(email, form.password.data)
        if user is None:
            throttle.login_failed(email, client)
            db.session.commit()
            flash(str(LOGIN_REFUSED), "error")
            return render_template("auth/login.html", form=form), 401
        throttle.login_succeeded(email, client)
        start_session(user)
        flash(_("Bienvenue, %(name)s.", name=user.name), "success")
        response = redirect(safe_next(request.args.get("next")) or url_for("dashboard.index"))
        device.remember(request, response, user.email)
        return response
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def _wait_message(seconds: int) -> str:
    """How long to wait, in words."""
    if seconds < 60:
        return _("Trop de tentatives de connexion : réessayez dans %(n)s seconde(s).", n=seconds)
    return _("Trop de tentatives de connexion : réessayez dans %(n)s minute(s).", n=seconds // 60 + 1)


@bp.post("/logout")
@login_required
def logout():
    """Log out and end every session cookie of this account."""
    rotate_session(current_user)
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("core.index"))


@bp.route("/compte", methods=["GET", "POST"])
@login_required
def account():
    """One's memberships, and the password change form."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.password.data)
        except Invalid as error:
            db.session.rollback()
            form.current.errors.append(error.message)
        else:
            start_session(current_user._get_current_object())
            flash(_("Votre mot de passe a été changé. Vos autres sessions sont fermées."), "success")
            return redirect(url_for("auth.account"))
    memberships = db.session.scalars(
        db.select(Membership).filter_by(user_id=current_user.id).join(Membership.conference)
        .options(joinedload(Membership.conference), joinedload(Membership.party))
        .order_by(Conference.edition_year.desc(), Conference.title)
    ).all()
    status = 422 if form.is_submitted() else 200
    mail_form = MailPreferencesForm(formdata=None, choice=preferences.choice_of(current_user))
    return render_template("auth/account.html", form=form, memberships=memberships, mail_form=mail_form), status
