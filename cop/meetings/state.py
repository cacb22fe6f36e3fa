"""The meeting as JSON: speakers, timer, speaking time, snapshot and event frames."""
from datetime import datetime
from functools import cache
from typing import Optional

from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, selectinload

from cop.conferences.models import Party
from cop.db import db, utcnow
from cop.meetings import registry
from cop.meetings.models import FloorRequest, Meeting, MeetingEvent
from cop.meetings.rules import elapsed, iso

ACTIVE = ("waiting", "speaking")


def request_json(request: FloorRequest) -> dict:
    """A floor request as clients show it."""
    return {
        "id": request.id, "kind": request.kind, "state": request.state,
        "party_id": request.party_id, "party": request.party.name if request.party else None,
        "user_id": request.user_id, "user": request.user.name,
        "requested_at": iso(request.requested_dt), "item_id": request.item_id,
    }


def timer_json(request: Optional[FloorRequest], limit: int, now: datetime) -> Optional[dict]:
    """The speaking timer of the current speaker: seconds used, whether it runs, the allowed time."""
    if request is None:
        return None
    return {"request_id": request.id, "elapsed": elapsed(request, now),
            "running": request.timer_started_dt is not None, "limit": limit}


def live_timer(meeting: Meeting) -> Optional[dict]:
    """The current speaker's timer, as of now."""
    speaker = next((r for r in active_requests(meeting) if r.state == "speaking"), None)
    return timer_json(speaker, meeting.conference.speaking_time_seconds, utcnow())


def queue_order(request: FloorRequest) -> tuple:
    """Points of order first, then by time of request."""
    return (request.kind != "point_of_order", request.requested_dt, request.id)


def active_requests(meeting: Meeting) -> list[FloorRequest]:
    """The waiting and speaking requests, in the order of the list, with their party and user (one statement)."""
    rows = db.session.scalars(_active_requests_query(), {"meeting_id": meeting.id}).all()
    return sorted(rows, key=queue_order)


@cache
def _active_requests_query():
    """`active_requests`' statement, built once per process (every floor command and snapshot reads the list) — on
    first use, once the mappers are configured (its loader options need them)."""
    return (db.select(FloorRequest)
            .filter(FloorRequest.meeting_id == bindparam("meeting_id"), FloorRequest.state.in_(ACTIVE))
            .options(joinedload(FloorRequest.party), joinedload(FloorRequest.user)))


def speaking_time(meeting: Meeting, now: datetime, party_ids: Optional[set] = None) -> dict[str, float]:
    """Seconds spoken per delegation ("observer" for invited observers), optionally for some parties only."""
    query = db.select(FloorRequest).filter(FloorRequest.meeting_id == meeting.id, FloorRequest.started_dt.is_not(None))
    totals: dict[str, float] = {}
    for request in db.session.scalars(query):
        if party_ids is not None and request.party_id not in party_ids:
            continue
        key = str(request.party_id) if request.party_id else "observer"
        totals[key] = round(totals.get(key, 0.0) + elapsed(request, now), 1)
    return totals


def accredited_parties(meeting: Meeting) -> list[Party]:
    """The accredited parties of the meeting's conference, by name."""
    return db.session.scalars(
        db.select(Party).filter_by(conference_id=meeting.conference_id, accreditation="accredited").order_by(Party.name)
    ).all()


def snapshot(meeting: Meeting) -> dict:
    """Everything a client needs to draw the room, as of meeting.last_seq."""
    now = utcnow()
    requests = active_requests(meeting)
    speaker = next((r for r in requests if r.state == "speaking"), None)
    current = meeting.current_item
    return {
        "meeting": {"id": meeting.id, "title": meeting.title, "kind": meeting.kind, "state": meeting.state,
                    "is_public": meeting.is_public, "phase": meeting.conference.phase},
        "items": [{"id": i.id, "position": i.position, "title": i.title, "state": i.state} for i in meeting.items],
        "current_item_id": current.id if current else None,
        "speakers": [request_json(r) for r in requests],
        "timer": timer_json(speaker, meeting.conference.speaking_time_seconds, now),
        "speaking_time": speaking_time(meeting, now),
        "parties": [{"id": p.id, "name": p.name} for p in accredited_parties(meeting)],
        "quorum_percent": meeting.conference.quorum_percent,
        **registry.snapshot_parts(meeting),
    }


def actor_json(event: MeetingEvent) -> Optional[dict]:
    """Who did it: user and party names."""
    if event.actor_id is None:
        return None
    return {"user_id": event.actor_id, "name": event.actor.name,
            "party_id": event.actor_party_id, "party": event.actor_party.name if event.actor_party else None}


def event_frame(event: MeetingEvent) -> dict:
    """A journal entry as the `event` frame of the live protocol."""
    return {"type": "event", "seq": event.seq, "name": event.name, "actor": actor_json(event),
            "at": iso(event.created_dt), "data": event.data}


def events_after(meeting_id: int, since: int, upto: Optional[int] = None) -> list[dict]:
    """Event frames with since < seq (≤ upto), in order."""
    query = (db.select(MeetingEvent).filter(MeetingEvent.meeting_id == meeting_id, MeetingEvent.seq > since)
             .options(selectinload(MeetingEvent.actor), selectinload(MeetingEvent.actor_party))
             .order_by(MeetingEvent.seq))
    if upto is not None:
        query = query.filter(MeetingEvent.seq <= upto)
    return [event_frame(e) for e in db.session.scalars(query)]
