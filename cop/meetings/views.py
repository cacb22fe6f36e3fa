"""Pages of meetings: the programme of a COP, scheduling, the agenda."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from cop.conferences.models import Conference, Membership
from cop.db import db
from cop.errors import DomainError
from cop.loaders import get_conference, get_meeting
from cop.meetings import bp, services
from cop.meetings.forms import AgendaItemForm, ScheduleForm, VersionForm
from cop.meetings.models import Meeting
from cop.permissions import can_schedule_meeting
from cop.reference.models import Sector
from cop.auth.models import User


@bp.get("/cop/<int:conference_id>")
def index(conference_id: int):
    """The meetings of a COP, in date order."""
    conference = get_conference(conference_id)
    meetings = db.session.scalars(
        db.select(Meeting).filter_by(conference_id=conference.id).order_by(Meeting.starts_dt)).all()
    return render_template("meetings/index.html", conference=conference, meetings=meetings,
                           can_schedule=can_schedule_meeting(current_user, conference))


def _fill_choices(form: ScheduleForm, conference: Conference) -> None:
    """Filières, and the conference's members as chair and co-facilitators."""
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position)).all()
    form.sector_id.choices = [(0, "—")] + [(s.id, s.name) for s in sectors]
    members = db.session.execute(
        db.select(User.id, User.name, Membership.role).join(Membership, Membership.user_id == User.id)
        .filter(Membership.conference_id == conference.id).order_by(User.name)).all()
    managers = [(uid, name) for uid, name, role in members if role in ("presidency", "secretariat")]
    form.chair_id.choices = managers
    form.cofacilitator_ids.choices = [(uid, name) for uid, name, _ in members]


@bp.route("/cop/<int:conference_id>/new", methods=["GET", "POST"])
@login_required
def schedule(conference_id: int):
    """The presidency schedules a meeting."""
    conference = get_conference(conference_id)
    if not can_schedule_meeting(current_user, conference):
        abort(403)
    form = ScheduleForm()
    _fill_choices(form, conference)
    if form.validate_on_submit():
        try:
            meeting = services.schedule_meeting(
                current_user, conference, kind=form.kind.data, title=form.title.data,
                starts_dt=form.starts_dt.data, chair=db.session.get(User, form.chair_id.data), place=form.place.data,
                is_public=form.is_public.data, sector_id=form.sector_id.data or None,
                cofacilitators=tuple(db.session.get(User, uid) for uid in form.cofacilitator_ids.data or ()))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template("meetings/schedule.html", conference=conference, form=form), error.status
        db.session.commit()
        flash("Séance planifiée. Composez maintenant son ordre du jour.", "success")
        return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/schedule.html", conference=conference, form=form), status


def managed_meeting(meeting_id: int) -> Meeting:
    """A meeting whose agenda the current user may edit, or 404/403."""
    meeting = get_meeting(meeting_id)
    if not can_schedule_meeting(current_user, meeting.conference):
        abort(403)
    return meeting


@bp.route("/<int:meeting_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(meeting_id: int):
    """Edit the agenda: add a point; move or remove pending ones."""
    meeting = managed_meeting(meeting_id)
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            services.add_item(current_user, meeting, _version(form), form.title.data, form.description.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("meetings.agenda", meeting_id=meeting.id)), 303
        db.session.commit()
        flash("Point ajouté à l’ordre du jour.", "success")
        return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
    form.version.data = meeting.version
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/agenda.html", meeting=meeting, form=form, action=VersionForm()), status


def _version(form) -> int:
    """The version a form was read at (0 when missing, which never matches)."""
    value = str(form.version.data or "")
    return int(value) if value.isdigit() else 0


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/<any(up, down, remove):action>")
@login_required
def agenda_action(meeting_id: int, item_id: int, action: str):
    """Move a point up or down, or remove it."""
    meeting = managed_meeting(meeting_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if action == "remove":
            services.remove_item(current_user, meeting, _version(form), item_id)
        else:
            services.move_item(current_user, meeting, _version(form), item_id, -1 if action == "up" else 1)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("meetings.agenda", meeting_id=meeting.id)), 303
    db.session.commit()
    flash("Ordre du jour mis à jour.", "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
