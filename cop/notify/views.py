"""The one-link unsubscribe (no login: the signed link is the proof) and the account page's mail preferences."""
from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop.db import db
from cop.errors import DomainError
from cop.extensions import csrf
from cop.notify import preferences
from cop.notify.forms import MailPreferencesForm

bp = Blueprint("notify", __name__)


def _private(page: str):
    """The link is a secret: never cached, never sent on as a referrer, never indexed."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/desabonnement/<token>")
def unsubscribe(token: str):
    """The confirmation page: it says what stops and what goes on, and asks for a click (a GET changes nothing:
    mail scanners open links)."""
    user = preferences.user_of(token)
    return _private(render_template("notify/unsubscribe.html", user=user, token=token, done=False,
                                    already=user.unsubscribed_dt is not None))


@bp.post("/desabonnement/<token>")
@csrf.exempt    # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" without a form; the token is the proof
def unsubscribe_confirm(token: str):
    """Unsubscribe the account the link names from every message that is not mandatory."""
    user = preferences.user_of(token)
    changed = preferences.unsubscribe(user)
    db.session.commit()
    return _private(render_template("notify/unsubscribe.html", user=user, token=token, done=True,
                                    already=not changed))


@bp.post("/auth/compte/courriels")
@login_required
def preferences_update():
    """Immediate messages, a daily digest, or only the mandatory ones (which is also how one re-subscribes)."""
    form = MailPreferencesForm()
    if not form.validate_on_submit():
        flash(_("Choisissez une des options proposées."), "error")
        return redirect(url_for("auth.account", _anchor="courriels"))
    try:
        preferences.choose(current_user, form.choice.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("auth.account", _anchor="courriels"))
    db.session.commit()
    flash(_("Vos préférences de courriel sont enregistrées."), "success")
    return redirect(url_for("auth.account", _anchor="courriels"))
