"""The secretariat's roadmap page: generate a draft, frame chapters, submit to the plenary, open the next edition."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from cop.loaders import form_version, get_managed
from cop.conferences.models import Conference
from cop.db import db
from cop.errors import DomainError, Invalid, NotFound
from cop.meetings.models import Meeting
from cop.reference.models import Sector
from cop.roadmap import adoption, bp, edition, services
from cop.roadmap.forms import EditionForm, FramingForm, SubmitForm


def _plenaries(conference: Conference) -> list[Meeting]:
    """Plenaries of the COP that have not closed."""
    return list(db.session.scalars(db.select(Meeting).filter_by(conference_id=conference.id, kind="plenary")
                                   .filter(Meeting.state != "closed").order_by(Meeting.starts_dt)))


def _render(conference: Conference, status: int = 200, **forms):
    """The management page with the latest version and the forms."""
    roadmap = services.roadmap_of(conference)
    version = services.latest(roadmap)
    submit_form = forms.get("submit_form") or SubmitForm()
    submit_form.meeting.choices = [SelectChoice(m.id, f"{m.title} — {m.starts_dt:%d/%m/%Y}")
                                   for m in _plenaries(conference)]
    return render_template(
        "roadmap/manage.html", conference=conference, version=version, submit_form=submit_form,
        framing_form=forms.get("framing_form") or FramingForm(), edition_form=forms.get("edition_form")
        or EditionForm(edition_year=conference.edition_year + 2),
        generate_phases=services.GENERATE_PHASES, submit_phases=services.SUBMIT_PHASES), status


def _refuse(conference: Conference, error: DomainError, **forms):
    """Roll back, say why, show the page again with the right status."""
    db.session.rollback()
    flash(error.message, "error")
    return _render(conference, error.status, **forms)


@bp.get("/<int:conference_id>/feuille-de-route/preparer")
@login_required
def manage(conference_id: int):
    """What the secretariat does with the roadmap."""
    return _render(get_managed(conference_id))


@bp.post("/<int:conference_id>/feuille-de-route/generer")
@login_required
def generate(conference_id: int):
    """Consolidate a new draft."""
    conference = get_managed(conference_id)
    try:
        version = services.generate_draft(current_user, conference)
        db.session.commit()
    except DomainError as error:
        return _refuse(conference, error)
    flash(f"Projet de feuille de route n° {version.number} consolidé.", "success")
    return redirect(url_for("roadmap.show", conference_id=conference.id, version=version.number))


@bp.post("/<int:conference_id>/feuille-de-route/cadrage")
@login_required
def frame(conference_id: int):
    """Save the framing text of one chapter of the latest draft."""
    conference = get_managed(conference_id)
    form = FramingForm()
    try:
        version = services.latest(services.roadmap_of(conference))
        sector = db.session.scalar(db.select(Sector).filter_by(code=form.sector.data or ""))
        if version is None or sector is None:
            raise NotFound("Ce chapitre n’existe pas dans le dernier projet.")
        if not form.validate_on_submit():
            raise Invalid("Le cadrage compte 20 000 caractères au plus.")
        services.set_framing(current_user, version, sector, form.text.data, form_version(form.lock_version.data))
        db.session.commit()
    except DomainError as error:
        return _refuse(conference, error, framing_form=form)
    flash(f"Cadrage du chapitre « {sector.name} » enregistré.", "success")
    return redirect(url_for("roadmap.manage", conference_id=conference.id))


@bp.post("/<int:conference_id>/feuille-de-route/soumettre")
@login_required
def submit(conference_id: int):
    """Put the latest draft on a plenary's agenda."""
    conference = get_managed(conference_id)
    form = SubmitForm()
    form.meeting.choices = [SelectChoice(m.id, m.title) for m in _plenaries(conference)]
    try:
        version = services.latest(services.roadmap_of(conference))
        meeting = db.session.get(Meeting, form.meeting.data) if form.validate_on_submit() else None
        if version is None or meeting is None:
            raise NotFound("Choisissez une séance plénière ouverte de cette COP, et générez d’abord un projet.")
        item = adoption.submit(current_user, version, meeting)
        db.session.commit()
    except DomainError as error:
        return _refuse(conference, error, submit_form=form)
    flash(f"Version {version.number} inscrite à l’ordre du jour de « {meeting.title} » (point {item.position}).",
          "success")
    return redirect(url_for("roadmap.show", conference_id=conference.id, version=version.number))


@bp.post("/<int:conference_id>/nouvelle-edition")
@login_required
def next_edition(conference_id: int):
    """Open the next edition of the COP from the signed commitments."""
    conference = get_managed(conference_id)
    form = EditionForm()
    try:
        if not form.validate_on_submit():
            raise Invalid("Indiquez une année d’édition entre 2020 et 2100.")
        new = edition.create_next_edition(current_user, conference, form.edition_year.data)
        db.session.commit()
    except DomainError as error:
        return _refuse(conference, error, edition_form=form)
    flash(f"Édition {new.edition_year} ouverte : les parties repartent de leurs engagements signés.", "success")
    return redirect(url_for("conferences.show", conference_id=new.id))
