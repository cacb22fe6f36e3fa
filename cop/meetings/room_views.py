"""The live pages of a meeting (room, chair console, projector), its record, its token, its no-JS door."""
import re
import time
import uuid
from typing import Optional

from flask import abort, current_app, flash, get_template_attribute, jsonify, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_wtf.csrf import generate_csrf as csrf_token
from markupsafe import Markup, escape
from flask_login import current_user, login_required

from cop.auth.models import User
from cop.conferences.models import Membership
from cop.db import db, utcnow
from cop.errors import DomainError
from cop.live import tokens
from cop.loaders import get_meeting
from cop.meetings import bp, fragments, minutes
from cop.meetings.forms import CommandForm
from cop.meetings.models import FloorRequest, Meeting
from cop.meetings.services import run_command
from cop.meetings.rules import elapsed
from cop.meetings.state import live_timer, snapshot, timer_json
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


def _sitting_room(meeting: Meeting, lag: float = 0.0) -> Optional[tuple]:
    """(version, shared state, clock basis, built at, the meeting's version) of a sitting meeting, built once per
    version in this worker; None when the meeting does not sit or the stamps cannot be read.

    While the meeting sits, each worker builds its snapshot once per seq and shares it between readers (concurrent
    misses build it once). It is kept under the meeting's seq and its COP's publication stamp, read before the build,
    so a page never shows the room older than its last event or its COP's last change — but for `lag`: a plain
    reader's page (`COP_ROOM_PAGE_LAG`) may show a state built less than `lag` seconds ago, events behind, of the
    same COP stamp. Once its live connection is open, the page receives the room's snapshot and fetches its parts as
    of the last event, so the reader is up to date on connecting; and a plenary's audience reloading during a vote
    costs a build per second, not one per ballot (at 5,000 watchers, the reloads' builds queued the web workers for
    20 s). Beside the state, the clock's basis: what the timer and the speaking times are computed from as of any
    moment (`_clock`), which only a command changes.
    """
    if meeting.state not in SITTING:
        return None
    tokens = stamp.current(db.engine, (stamp.GLOBAL, f"cop:{meeting.conference_id}"))
    if tokens is None:
        return None
    store = current_app.extensions.setdefault("cop_room_states", {})
    # The creation time tells a meeting from another that reused its id (a restored or re-created database).
    version = (meeting.created_dt.isoformat(), meeting.last_seq, tokens)
    entry = store.get(meeting.id)
    if entry is not None and lag and _behind_within(entry, version, lag):
        return entry
    if entry is None or entry[0] != version:
        # One build per version: readers of the same seq wait for it, a reader of a newer seq does not wait for an
        # older build (during a vote the seq moves several times a second).
        with _building.over((meeting.id, version)):
            entry = store.get(meeting.id)
            if entry is None or entry[0] != version:
                entry = store[meeting.id] = (version, snapshot(meeting), clock_basis(meeting), time.monotonic(),
                                             meeting.version)
    return entry


def _behind_within(entry: tuple, version: tuple, lag: float) -> bool:
    """True when a built state is of the same meeting and COP stamp, events behind (or not), and younger than lag."""
    built = entry[0]
    return (built[0] == version[0] and built[2] == version[2] and built[1] <= version[1]
            and time.monotonic() - entry[3] < lag)


def clock_basis(meeting: Meeting) -> dict:
    """What the clock-dependent parts of the room are computed from: every turn of speech begun in this meeting (its
    time spoken, and since when its timer runs), the speaker's, the time allowed. Only a journaled command changes
    them (the floor and the timer are commands), so they hold until the next seq."""
    rows = db.session.execute(
        db.select(FloorRequest.id, FloorRequest.party_id, FloorRequest.state, FloorRequest.spoken_seconds,
                  FloorRequest.timer_started_dt)
        .filter(FloorRequest.meeting_id == meeting.id, FloorRequest.started_dt.is_not(None))
        .order_by(FloorRequest.id)).all()
    return {"turns": rows, "speaker": next((r for r in rows if r.state == "speaking"), None),
            "limit": meeting.conference.speaking_time_seconds}


def _clock(basis: dict, now) -> tuple[Optional[dict], dict[str, float]]:
    """The timer and the speaking times as of `now`, from the basis: no query (as `state.timer_json` and
    `state.speaking_time` compute them from the rows)."""
    totals: dict[str, float] = {}
    for turn in basis["turns"]:
        key = str(turn.party_id) if turn.party_id else "observer"
        totals[key] = round(totals.get(key, 0.0) + elapsed(turn, now), 1)
    return timer_json(basis["speaker"], basis["limit"], now), totals


def _running(basis: dict) -> frozenset:
    """The speaking-time keys whose total runs with the clock (a turn whose timer runs)."""
    return frozenset(str(t.party_id) if t.party_id else "observer"
                     for t in basis["turns"] if t.timer_started_dt is not None)


def page_state(meeting: Meeting) -> dict:
    """The room's state for a page, as of now: the shared state of its seq (`_sitting_room`), its timer and speaking
    times computed for this moment; a meeting that does not sit is read whole."""
    room = _sitting_room(meeting)
    if room is None:
        return snapshot(meeting)
    timer, times = _clock(room[2], utcnow())
    return dict(room[1], timer=timer, speaking_time=times)


def _context(user, meeting: Meeting, state: dict) -> dict:
    """What a live page shows for this reader: their `may` (from the rulebook), their party, whether they chair."""
    membership = speaking_membership(user, meeting.conference) if user else None
    return dict(meeting=meeting, state=state, can_chair=bool(user and can_chair_meeting(user, meeting)),
                may=may_for(user, meeting), reader=membership or {"party_id": None}, sitting=sitting(meeting),
                may_move_phase=ask("conference.move_phase", user, meeting.conference), membership=membership,
                live_url=current_app.config["COP_LIVE_URL"])


def plain_reader(user, meeting: Meeting) -> Optional[str]:
    """"anonymous", or "watcher" for a logged-in reader who may do nothing in this meeting (no party that speaks, does
    not chair, every `may` no, may not move the phase), whose page is therefore the same as every such reader's;
    None for anyone else (their page shows their own controls)."""
    if user is None:
        return "anonymous"
    if can_chair_meeting(user, meeting) or speaking_membership(user, meeting.conference) is not None:
        return None
    if any(may_for(user, meeting).values()) or ask("conference.move_phase", user, meeting.conference):
        return None
    return "watcher"


#: A slot of the shared HTML, filled for each page: a comment, which no escaped text can contain (it opens with "<").
_SLOT = re.compile(r"<!--cop-slot:([a-z_]+(?::[a-z0-9]+)?)-->")
SHARED_PAGES = 64  # 8 per sitting meeting (2 views × 2 kinds of reader × 2 languages)
#: The shared pages' own templates: the room's content (its shell, base.html, is drawn for each reader: the language
#: switch, the flashes, the account menu) and the whole projector (no shell, no account).
SHARED_TEMPLATES = {"room": "meetings/_room.html", "projector": "meetings/projector.html"}


def _slot(name: str) -> Markup:
    """The mark of a slot in the shared HTML."""
    # Safe (bandit B704): a fixed comment around a name the templates give, of [a-z0-9_:].
    return Markup(f"<!--cop-slot:{name}-->")  # nosec B704


def _shared_parts(meeting: Meeting, view: str, kind: str, room: tuple, user) -> Optional[list[str]]:
    """The view's HTML for plain readers of one kind in the reader's language, split at its slots (text, slot name,
    text, …): rendered once per meeting version, language, view and kind of reader in this worker; None when the
    rendering holds a form (a reader's own control: never shared)."""
    store = current_app.extensions.setdefault("cop_room_pages", fragments._Cache(SHARED_PAGES))
    key = (meeting.id, view, kind, str(get_locale()))
    # Keyed like the shared state (creation time, seq, the COP's stamps), and by the meeting's version it was built at.
    version = (room[0], room[4])
    entry = store.get(key)
    if entry is None or entry[0] != version:
        with _building.over((key, version)):
            entry = store.get(key)
            if entry is None or entry[0] != version:
                html = render_template(SHARED_TEMPLATES[view], view=view, slot=_slot, running=_running(room[2]),
                                       **_context(user, meeting, room[1]))
                # A form carries its reader's CSRF token: a page with one is this reader's own, never shared.
                parts = None if 'name="csrf_token"' in html else _SLOT.split(html)
                entry = (version, parts)
                store.put(key, entry)
    return entry[1]


def _fill(parts: list[str], room: tuple) -> Markup:
    """The shared HTML with its slots filled for this page: the timer and the running speaking times as of now, this
    reader's CSRF token."""
    timer, times = _clock(room[2], utcnow())
    clock = get_template_attribute("meetings/_clock.html", "slot")
    out = [parts[0]]
    for index in range(1, len(parts), 2):
        name = parts[index]
        out.append(str(escape(csrf_token())) if name == "csrf" else str(clock(name, timer, times)))
        out.append(parts[index + 1])
    # Safe (bandit B704): rendered by Jinja with autoescape, its slots filled by Jinja or escaped.
    return Markup("".join(out))  # nosec B704


def _page(template: str, meeting: Meeting, view: Optional[str] = None, **extra):
    """Render a live page with the state as of now and what the reader may do (`may`, from the rulebook).

    While the meeting sits, a plain reader's page (`plain_reader`) is the view's shared HTML (`_shared_parts`) with
    its slots filled: no query beyond the meeting and its stamps, no rendering of the room."""
    user = current_user if current_user.is_authenticated else None
    kind = plain_reader(user, meeting) if view and meeting.state in SITTING else None
    room = _sitting_room(meeting, current_app.config["COP_ROOM_PAGE_LAG"] if kind else 0.0) if view else None
    kind = kind if room else None
    parts = _shared_parts(meeting, view, kind, room, user) if kind else None
    if parts is not None:
        if view == "projector":
            return _fill(parts, room)
        return render_template(template, meeting=meeting, shared_room=_fill(parts, room))
    if room is not None:
        timer, times = _clock(room[2], utcnow())
        state = dict(room[1], timer=timer, speaking_time=times)
    else:
        state = page_state(meeting)
    return render_template(template, command_form=CommandForm(), command_id=uuid.uuid4().hex,
                           **_context(user, meeting, state), **extra)


@bp.get("/<int:meeting_id>")
def show(meeting_id: int):
    """The meeting room: agenda, current item, speakers' list, timer, presence."""
    return _page("meetings/show.html", watched_meeting(meeting_id), view="room")


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
    return _page("meetings/projector.html", watched_meeting(meeting_id), view="projector")


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
