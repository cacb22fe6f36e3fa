"""The live pages of a meeting (room, chair console, projector), its record, its token, its no-JS door."""
import uuid

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from cop.auth.models import User
from cop.conferences.models import Membership
from cop.db import db, utcnow
from cop.errors import DomainError
from cop.live import tokens
from cop.loaders import get_meeting
from cop.meetings import bp, minutes
from cop.meetings.forms import CommandForm
from cop.meetings.models import Meeting
from cop.meetings.rules import MEETING_PHASES
from cop.meetings.services import run_command
from cop.meetings.state import snapshot
from cop.permissions import can_chair_meeting, can_schedule_meeting, can_watch_meeting, speaking_membership
from cop.extensions import login_manager


def watched_meeting(meeting_id: int) -> Meeting:
    """A meeting the reader may follow: public, or closed and the reader takes part; else login, 403 or 404."""
    meeting = get_meeting(meeting_id)
    user = current_user if current_user.is_authenticated else None
    if not can_watch_meeting(user, meeting):
        if user is None:
            abort(login_manager.unauthorized())
        abort(403)
    return meeting


def _page(template: str, meeting: Meeting, **extra):
    """Render a live page with the state as of now and what the reader may do."""
    user = current_user if current_user.is_authenticated else None
    membership = speaking_membership(user, meeting.conference) if user else None
    return render_template(
        template, meeting=meeting, state=snapshot(meeting), can_chair=bool(user and can_chair_meeting(user, meeting)),
        can_edit=bool(user and can_schedule_meeting(user, meeting.conference)), membership=membership,
        command_form=CommandForm(), command_id=uuid.uuid4().hex, live_url=current_app.config["COP_LIVE_URL"],
        phase_ok=meeting.conference.phase in MEETING_PHASES[meeting.kind], **extra)


@bp.get("/<int:meeting_id>")
def show(meeting_id: int):
    """The meeting room: agenda, current item, speakers' list, timer, presence."""
    return _page("meetings/show.html", watched_meeting(meeting_id))


@bp.get("/<int:meeting_id>/chair")
@login_required
def chair(meeting_id: int):
    """The chair console."""
    meeting = watched_meeting(meeting_id)
    if not can_chair_meeting(current_user, meeting):
        abort(403)
    observers = db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .filter(Membership.conference_id == meeting.conference_id, Membership.role == "observer")
        .order_by(User.name)).all()
    return _page("meetings/chair.html", meeting, observers=observers)


@bp.get("/<int:meeting_id>/projector")
def projector(meeting_id: int):
    """Large print for the screen in the room."""
    return _page("meetings/projector.html", watched_meeting(meeting_id))


@bp.get("/<int:meeting_id>/minutes")
def minutes_page(meeting_id: int):
    """The record, generated from the journal."""
    meeting = watched_meeting(meeting_id)
    return render_template("meetings/minutes.html", meeting=meeting, record=minutes.record(meeting),
                           interventions=minutes.interventions(meeting), totals=minutes.speaking_totals(meeting),
                           generated=utcnow())


@bp.get("/<int:meeting_id>/live-token")
@login_required
def live_token(meeting_id: int):
    """JSON {url, token}: what the page needs to join the live room as the logged-in user."""
    meeting = watched_meeting(meeting_id)
    token = tokens.issue(current_app.config["SECRET_KEY"], current_user.id, meeting.id)
    response = jsonify(url=current_app.config["COP_LIVE_URL"], token=token,
                       ttl=current_app.config["COP_LIVE_TOKEN_TTL"])
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:meeting_id>/command")
@login_required
def command(meeting_id: int):
    """Run a live command from a plain form (pages work without JavaScript)."""
    meeting = watched_meeting(meeting_id)
    form = CommandForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        run_command(meeting.id, current_user, form.name.data, form.args(), form.command_id.data or None)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id)), 303
    db.session.commit()
    flash("C’est fait.", "success")
    target = "meetings.chair" if can_chair_meeting(current_user, meeting) else "meetings.show"
    return redirect(url_for(target, meeting_id=meeting.id))
