"""Login and logout (the rest of the account pages are added beside them)."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cop.auth import bp
from cop.auth.forms import LoginForm
from cop.auth.models import User
from cop.auth.services import authenticate, rotate_session
from cop.db import db
from cop.extensions import login_manager
from cop.urls import safe_next


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password; the session is renewed."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            flash("Adresse électronique ou mot de passe incorrect.", "error")
            return render_template("auth/login.html", form=form), 401
        rotate_session(user)
        db.session.commit()
        from flask import session

        session.clear()
        login_user(user)
        flash(f"Bienvenue, {user.name}.", "success")
        return redirect(safe_next(request.args.get("next")) or url_for("core.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out and end every session cookie of this account."""
    rotate_session(current_user)
    db.session.commit()
    logout_user()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("core.index"))
