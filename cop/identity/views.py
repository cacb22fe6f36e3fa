"""The identity page of a COP, its logo and the stylesheet of its colour."""
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from cop.loaders import get_conference, get_managed
from cop.db import db
from cop.errors import DomainError
from cop.identity import bp, colours, services
from cop.identity.forms import IdentityForm
from cop.identity.models import ConferenceIdentity

YEAR = 365 * 24 * 3600


@bp.record_once
def _check_deployment_colour(state) -> None:
    """A deployment whose default colour fails the contrast check does not start."""
    try:
        services.check_colour(state.app.config["COP_IDENTITY_COLOUR"])
    except DomainError as error:
        raise RuntimeError(f"COP_IDENTITY_COLOUR : {error.message}") from None


@bp.app_template_global("identity_for")
def identity_for(conference=None) -> services.Identity:
    """The identity of a COP's pages (or the deployment's), for every template."""
    return services.identity_for(conference)


@bp.route("/cop/<int:conference_id>/identite", methods=["GET", "POST"])
@login_required
def edit(conference_id: int):
    """The presidency or the secretariat sets the organiser's name, logo, colour and contact."""
    conference = get_managed(conference_id)
    row = db.session.scalar(db.select(ConferenceIdentity).filter_by(conference_id=conference.id))
    form = IdentityForm(obj=row)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("identity/edit.html", form=form, conference=conference, row=row), status
    upload = form.logo.data
    try:
        services.set_identity(current_user, conference, form.organisation.data or "", form.colour.data or "",
                              form.contact.data or "", upload.read() if upload else None, form.logo_alt.data or "",
                              form.remove_logo.data)
    except DomainError as error:
        db.session.rollback()
        for name in getattr(error, "fields", ()):
            getattr(form, name).errors = [*getattr(form, name).errors, error.message]
        flash(error.message, "error")
        return render_template("identity/edit.html", form=form, conference=conference, row=row), error.status
    db.session.commit()
    flash("Identité enregistrée : elle s’applique aux pages de la COP et aux prochains documents.", "success")
    return redirect(url_for("identity.edit", conference_id=conference.id))


@bp.get("/cop/<int:conference_id>/identite/logo-<key>.png")
def logo(conference_id: int, key: str):
    """The COP's logo, re-encoded as PNG by the server; its URL changes with it, so it is cached for good."""
    png = services.logo_png(get_conference(conference_id), key)
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.get("/identite/<colour>.css")
def stylesheet(colour: str):
    """The site's colours replaced by an accessible brand colour (no inline style: the CSP forbids it)."""
    try:
        value = services.check_colour("#" + colour)
    except DomainError:
        abort(404)
    if not value:
        abort(404)
    css = f":root {{ --blue: {value}; --blue-dark: {colours.darker(value)}; }}\n"
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response
