"""Pages of the presidency: open a COP, edit its calendar and rules, move its phase."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from cop import labels, permissions
from cop.conferences import bp
from cop.conferences.forms import CreateConferenceForm, PhaseForm, SettingsForm
from cop.loaders import form_version, get_conference, get_managed
from cop.conferences.models import PHASES
from cop.conferences.phases import history, move_phase, next_phase, previous_phase
from cop.conferences.rules import FIELD_LABELS
from cop.conferences.services import create_conference, update_settings
from cop.db import db
from cop.errors import DomainError, Forbidden
from cop.territories.models import Territory


def _regions_for(user) -> list[Territory]:
    """The regions this user may open a COP for."""
    regions = db.session.scalars(db.select(Territory).filter_by(kind="region").order_by(Territory.name))
    return [r for r in regions if permissions.can_create_conference(user, r.id)]


def _refuse(form, error: DomainError, template: str, **context):
    """Show the form again with the domain error flashed and, where it names them, on its fields."""
    db.session.rollback()
    for name in getattr(error, "fields", ()):
        getattr(form, name).errors = [*getattr(form, name).errors, error.message]
    flash(error.message, "error")
    return render_template(template, form=form, **context), error.status


@bp.route("/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    """Open a COP for one's region; the creator becomes its presidency."""
    regions = _regions_for(current_user)
    if not regions:
        raise Forbidden("Seuls les agents d'une région et les administrateurs ouvrent une COP.")
    form = CreateConferenceForm()
    form.region_id.choices = [SelectChoice(str(r.id), r.name) for r in regions]
    if not form.validate_on_submit():
        return render_template("conferences/create.html", form=form), 422 if form.is_submitted() else 200
    try:
        conference = create_conference(current_user, form.region_id.data, form.edition_year.data,
                                        form.title.data, form.code.data, form.description.data)
    except DomainError as error:
        return _refuse(form, error, "conferences/create.html")
    db.session.commit()
    flash(f"La COP « {conference.title} » est ouverte ; vous en assurez la présidence.", "success")
    return redirect(url_for("conferences.show", conference_id=conference.id))


@bp.route("/<int:conference_id>/reglages", methods=["GET", "POST"])
@login_required
def settings(conference_id: int):
    """Edit the title, calendar and rules of a COP."""
    conference = get_managed(conference_id)
    form = SettingsForm(obj=conference)  # the hidden version comes from the conference too
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("conferences/settings.html", form=form, conference=conference), status
    try:
        changed = update_settings(current_user, conference, form_version(form.version.data), form.settings())
    except DomainError as error:
        return _refuse(form, error, "conferences/settings.html", conference=conference)
    db.session.commit()
    words = ", ".join(FIELD_LABELS[name] for name in changed)
    flash(f"Modifications enregistrées : {words}." if changed else "Aucune modification.", "success")
    return redirect(url_for("conferences.show", conference_id=conference.id))


@bp.route("/<int:conference_id>/phase", methods=["GET", "POST"])
@login_required
def phase(conference_id: int):
    """The presidency moves the COP one phase forward, or one back with a reason."""
    conference = get_conference(conference_id)
    if not permissions.is_presidency(current_user, conference):
        raise Forbidden("Seule la présidence de la COP change sa phase.")
    form = PhaseForm()
    context = {"conference": conference, "history": history(conference), "phases": PHASES,
               "forward": next_phase(conference), "back": previous_phase(conference)}
    if not form.validate_on_submit():
        form.version.data = conference.version
        return render_template("conferences/phase.html", form=form, **context)
    try:
        move_phase(current_user, conference, form.to_phase.data, form.reason.data, form_version(form.version.data))
    except DomainError as error:
        return _refuse(form, error, "conferences/phase.html", **context)
    db.session.commit()
    flash(f"La COP est passée en phase « {labels.phase(conference.phase)} ».", "success")
    return redirect(url_for("conferences.show", conference_id=conference.id))
