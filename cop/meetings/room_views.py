"""The live pages of a meeting (room, chair console, projector), its record, its token, its no-JS door."""
import uuid

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop.auth.models import User
from cop.conferences.models import Membership
from cop.db import db, utcnow
from cop.errors import DomainError
from cop.live import tokens
from cop.loaders import get_meeting
from cop.meetings import bp, fragments, minutes
from cop.meetings.forms import CommandForm
from cop.meetings.models import Meeting
from cop.meetings.services import run_command
from cop.meetings.state import active_requests, live_timer, snapshot, speaking_time, timer_json
from cop.permissions import can_chair_meeting, can_watch_meeting, speaking_membership
from cop.extensions import login_manager
from cop.public import stamp
from cop.public.flights import Flights
from cop.rulebook import YES, ask, in_phase
from cop.rulebook.live import may_for

#: A sitting meeting journals every change of what its room shows: its snapshot is the same for every reader until
#: the next event (or a change of its COP's own rows: phase, accreditations, rules, agenda).
SITTING = ("open", "suspended")
_building = Flights()


def watched_meeting(meeting_id: int) -> Meeting:
    """A meeting the reader may follow: public, or closed and the reader takes part; else login, 403 or 404."""
    meeting = get_meeting(meeting_id)
    user = current_user if current_user.is_authenticated else None
    if not can_watch_meeting(user, meeting):
        if user is None:
            abort(login_manager.unauthorized())
        abort(403)
    return meeting


def sitting(meeting: Meeting):
    """Whether the COP's phase lets this meeting sit (a closed meeting sits no more: nothing to warn about)."""
    return YES if meeting.state == "closed" else in_phase("meeting.open", meeting.conference, meeting)


def page_state(meeting: Meeting) -> dict:
    """The room's state for a page, as of now.

    While the meeting sits, each worker builds its snapshot once per seq and shares it between readers (concurrent
    misses build it once): a plenary's audience reloading during a vote costs one build per event, not one per
    reader. It is kept under the meeting's seq and its COP's publication stamp, read before the build, so a page
    never shows the room older than its last event or its COP's last change. The timer and the speaking times run
    with the clock: they are read for every page.
    """
    if meeting.state not in SITTING:
        return snapshot(meeting)
    tokens = stamp.current(db.engine, (stamp.GLOBAL, f"cop:{meeting.conference_id}"))
    if tokens is None:
        return snapshot(meeting)
    store = current_app.extensions.setdefault("cop_room_states", {})
    # The creation time tells a meeting from another that reused its id (a restored or re-created database).
    version = (meeting.created_dt.isoformat(), meeting.last_seq, tokens)
    entry = store.get(meeting.id)
    if entry is None or entry[0] != version:
        # One build per version: readers of the same seq wait for it, a reader of a newer seq does not wait for an
        # older build (during a vote the seq moves several times a second).
        with _building.over((meeting.id, version)):
            entry = store.get(meeting.id)
            if entry is None or entry[0] != version:
                entry = store[meeting.id] = (version, snapshot(meeting))
    now = utcnow()
    speaker = next((r for r in active_requests(meeting) if r.state == "speaking"), None)
    return dict(entry[1], timer=timer_json(speaker, meeting.conference.speaking_time_seconds, now),
                speaking_time=speaking_time(meeting, now))


def _page(template: str, meeting: Meeting, **extra):
    """Render a live page with the state as of now and what the reader may do (`may`, from the rulebook)."""
    user = current_user if current_user.is_authenticated else None
    membership = speaking_membership(user, meeting.conference) if user else None
    state = page_state(meeting)
    return render_template(
        template, meeting=meeting, state=state, can_chair=bool(user and can_chair_meeting(user, meeting)),
        may=may_for(user, meeting), reader=membership or {"party_id": None}, sitting=sitting(meeting),
        may_move_phase=ask("conference.move_phase", user, meeting.conference), membership=membership,
        command_form=CommandForm(), command_id=uuid.uuid4().hex, live_url=current_app.config["COP_LIVE_URL"],
        **extra)


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


@bp.get("/<int:meeting_id>/live/<view>")
def live_parts(meeting_id: int, view: str):
    """JSON {seq, parts, say, timer}: a live view's parts and last sentences in the reader's language, shared by
    every reader of that view (no CSRF token, no reader's own control); the timer as of now."""
    meeting = watched_meeting(meeting_id)
    if view not in fragments.PARTS:
        abort(404)
    if view == "chair" and not (current_user.is_authenticated and can_chair_meeting(current_user, meeting)):
        abort(403)
    shared = fragments.shared(meeting, view)
    response = jsonify(dict(shared, timer=live_timer(meeting)))
    response.headers["Cache-Control"] = "no-store"
    return response


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
    token = tokens.issue(current_app.config["SECRET_KEY"], current_user.id, meeting.id, current_user.session_nonce)
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
    flash(_("C’est fait."), "success")
    target = "meetings.chair" if can_chair_meeting(current_user, meeting) else "meetings.show"
    return redirect(url_for(target, meeting_id=meeting.id))
