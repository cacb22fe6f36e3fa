"""The speakers' list and the speaking timer, as live commands."""
from typing import Optional

from sqlalchemy import bindparam

from cop.conferences.models import Membership
from cop.db import db
from cop.errors import Conflict, Forbidden, NotFound
from cop.meetings.commands import Context, command, require_chair
from cop.meetings.models import FloorRequest
from cop.meetings.rules import check_state, elapsed
from cop.meetings.state import active_requests, request_json, speaking_time, timer_json
from cop.permissions import speaking_membership


def limit(ctx: Context) -> int:
    """The speaking time the rules allow."""
    return ctx.meeting.conference.speaking_time_seconds


def current_speaker(ctx: Context) -> Optional[FloorRequest]:
    """The request holding the floor, if any."""
    return db.session.scalar(_SPEAKING, {"meeting_id": ctx.meeting.id})


#: `current_speaker`'s statement, built once per process.
_SPEAKING = db.select(FloorRequest).filter(FloorRequest.meeting_id == bindparam("meeting_id"),
                                           FloorRequest.state == "speaking")


#: Whether a delegation has a request of this kind waiting: the id of one (not the whole list, each request with its
#: party and user, that `active_requests` reads for the snapshot).
_PARTY_WAITING = (db.select(FloorRequest.id)
                  .filter(FloorRequest.meeting_id == bindparam("meeting_id"),
                          FloorRequest.party_id == bindparam("party_id"), FloorRequest.kind == bindparam("kind"),
                          FloorRequest.state == "waiting")
                  .limit(1))


def _waiting(ctx: Context, request_id: int) -> FloorRequest:
    """A waiting request of this meeting, or a clear refusal."""
    request = db.session.get(FloorRequest, request_id)
    if request is None or request.meeting_id != ctx.meeting.id:
        raise NotFound("Cette demande de parole n’existe pas dans cette séance.")
    if request.state != "waiting":
        raise Conflict("Cette demande de parole n’est plus en attente.")
    return request


def stop_timer(ctx: Context, speaker: Optional[FloorRequest] = None) -> Optional[dict]:
    """Stop the current speaker's timer (`speaker`, when the caller has just read it), adding the run to the time
    spoken."""
    speaker = speaker or current_speaker(ctx)
    if speaker is not None and speaker.timer_started_dt is not None:
        speaker.spoken_seconds = elapsed(speaker, ctx.now)
        speaker.timer_started_dt = None
    return timer_json(speaker, limit(ctx), ctx.now)


def end_speaker(ctx: Context) -> Optional[dict]:
    """End the current speaker's turn; return what they used."""
    speaker = current_speaker(ctx)
    if speaker is None:
        return None
    speaker.spoken_seconds = elapsed(speaker, ctx.now)
    speaker.timer_started_dt = None
    speaker.state, speaker.ended_dt = "done", ctx.now
    return {"request_id": speaker.id, "party_id": speaker.party_id, "spoken_seconds": speaker.spoken_seconds}


def lapse_waiting(ctx: Context) -> list[int]:
    """Drop the waiting requests (the meeting closes)."""
    waiting = [r for r in active_requests(ctx.meeting) if r.state == "waiting"]
    for request in waiting:
        request.state, request.ended_dt = "removed", ctx.now
    return [r.id for r in waiting]


def _give(ctx: Context, request: FloorRequest) -> tuple[str, dict]:
    """Give the floor to a request; the timer starts for everyone."""
    ended = end_speaker(ctx)
    request.state, request.started_dt, request.timer_started_dt = "speaking", ctx.now, ctx.now
    db.session.flush()
    parties = {request.party_id} | ({ended["party_id"]} if ended else set())
    return "floor.given", {"request": request_json(request), "ended": ended,
                           "timer": timer_json(request, limit(ctx), ctx.now),
                           "speaking_time": speaking_time(ctx.meeting, ctx.now, parties)}


@command("floor.request")
def floor_request(ctx: Context) -> tuple[str, dict]:
    """A delegation asks for the floor; a point of order goes to the top of the list."""
    check_state(ctx.meeting, "open")
    m = speaking_membership(ctx.user, ctx.meeting.conference)
    if m is None:
        raise Forbidden("Seuls les délégués accrédités d’une partie accréditée peuvent demander la parole.")
    kind = "point_of_order" if ctx.args.get("point_of_order") is True else "normal"
    if db.session.scalar(_PARTY_WAITING, {"meeting_id": ctx.meeting.id, "party_id": m.party_id, "kind": kind}):
        raise Conflict("Votre délégation a déjà une demande de parole en attente.")
    item = ctx.meeting.current_item
    request = FloorRequest(meeting_id=ctx.meeting.id, party_id=m.party_id, user_id=ctx.user.id, kind=kind,
                           item_id=item.id if item else None, requested_dt=ctx.now)
    db.session.add(request)
    db.session.flush()
    return "floor.requested", {"request": request_json(request)}


@command("floor.withdraw")
def floor_withdraw(ctx: Context) -> tuple[str, dict]:
    """A delegation withdraws its own waiting request."""
    check_state(ctx.meeting, "open", "suspended")
    request = _waiting(ctx, ctx.int_arg("request_id"))
    m = speaking_membership(ctx.user, ctx.meeting.conference)
    if m is None or request.party_id != m.party_id:
        raise Forbidden("Cette demande de parole est celle d’une autre délégation.")
    request.state, request.ended_dt = "withdrawn", ctx.now
    return "floor.withdrawn", {"request_id": request.id}


@command("floor.give")
def floor_give(ctx: Context) -> tuple[str, dict]:
    """The chair gives the floor to a waiting request."""
    require_chair(ctx)
    check_state(ctx.meeting, "open")
    return _give(ctx, _waiting(ctx, ctx.int_arg("request_id")))


@command("floor.next")
def floor_next(ctx: Context) -> tuple[str, dict]:
    """The chair moves to the next speaker; with nobody waiting, the current turn just ends."""
    require_chair(ctx)
    check_state(ctx.meeting, "open")
    waiting = [r for r in active_requests(ctx.meeting) if r.state == "waiting"]
    if waiting:
        return _give(ctx, waiting[0])
    ended = end_speaker(ctx)
    if ended is None:
        raise Conflict("La liste des orateurs est vide.")
    parties = {ended["party_id"]}
    return "floor.ended", {"ended": ended, "speaking_time": speaking_time(ctx.meeting, ctx.now, parties)}


@command("floor.remove")
def floor_remove(ctx: Context) -> tuple[str, dict]:
    """The chair removes a waiting request from the list."""
    require_chair(ctx)
    check_state(ctx.meeting, "open", "suspended")
    request = _waiting(ctx, ctx.int_arg("request_id"))
    request.state, request.ended_dt = "removed", ctx.now
    return "floor.removed", {"request_id": request.id}


@command("floor.invite_observer")
def floor_invite_observer(ctx: Context) -> tuple[str, dict]:
    """The chair invites an observer of the conference to speak; the invitation joins the list."""
    require_chair(ctx)
    check_state(ctx.meeting, "open")
    user_id = ctx.int_arg("user_id")
    m = db.session.scalar(db.select(Membership).filter_by(
        user_id=user_id, conference_id=ctx.meeting.conference_id, role="observer"))
    if m is None:
        raise NotFound("Cette personne n’est pas observatrice de cette COP.")
    if any(r.user_id == user_id and r.state == "waiting" for r in active_requests(ctx.meeting)):
        raise Conflict("Cet observateur est déjà invité à prendre la parole.")
    item = ctx.meeting.current_item
    request = FloorRequest(meeting_id=ctx.meeting.id, user_id=user_id, kind="observer_invited",
                           item_id=item.id if item else None, requested_dt=ctx.now)
    db.session.add(request)
    db.session.flush()
    return "floor.invited", {"request": request_json(request)}
