"""Database work of the live server, run in worker threads inside an app context."""
import logging
import time
from typing import Optional

from flask import current_app, g
from sqlalchemy.exc import DBAPIError, IntegrityError

from cop import logs

from cop.auth.models import User
from cop.db import db
from cop.errors import DomainError, Forbidden, NotFound
from cop.meetings.models import Meeting
from cop.meetings.services import find_resent, run_command
from cop.meetings.state import accredited_parties, event_frame, events_after, snapshot
from cop.permissions import can_chair_meeting, can_watch_meeting, speaking_membership

command_log = logging.getLogger("cop.live.command")


def admit(meeting_id: int, user_id: Optional[int]) -> dict:
    """Who this client is in the meeting, or Forbidden/NotFound; watch-only when user_id is None."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("Cette séance n’existe pas.")
    user = db.session.get(User, user_id) if user_id is not None else None
    if user_id is not None and (user is None or user.is_disabled):
        raise Forbidden("Ce compte est désactivé.")
    if not can_watch_meeting(user, meeting):
        raise Forbidden("Cette séance est fermée : seuls ses participants peuvent la suivre.")
    m = speaking_membership(user, meeting.conference) if user else None
    return {
        "last_seq": meeting.last_seq,
        "accredited": [p.id for p in accredited_parties(meeting)],
        "quorum_percent": meeting.conference.quorum_percent,
        "you": {"user_id": user_id, "name": user.name if user else None,
                "party_id": m.party_id if m else None, "party": m.party.name if m else None,
                "can_chair": bool(user and can_chair_meeting(user, meeting)),
                "can_request": m is not None, "watch_only": user is None},
    }


def catch_up(meeting_id: int, since: Optional[int], upto: int) -> tuple[Optional[dict], list[dict]]:
    """Exactly the events after `since` up to `upto`, or a snapshot when the client is too far behind."""
    max_replay = current_app.config["COP_LIVE_REPLAY_MAX"]
    for _ in range(5):
        meeting = db.session.get(Meeting, meeting_id, populate_existing=True)
        seq = meeting.last_seq
        usable = isinstance(since, int) and not isinstance(since, bool) and 0 <= since <= seq
        if usable and upto - since <= max_replay:
            return None, events_after(meeting_id, since, upto) if since < upto else []
        state = snapshot(meeting)
        db.session.expire_all()
        # A commit between the two reads would make the state newer than seq: read again.
        if db.session.get(Meeting, meeting_id).last_seq == seq:
            return {"type": "snapshot", "seq": seq, "state": state}, []
    raise RuntimeError("snapshot: the meeting kept changing")


def apply_command(meeting_id: int, user_id: Optional[int], name: object, args: object, command_id: object,
                  request_id: Optional[str] = None) -> tuple[dict, bool]:
    """Run one command in its own transaction; return its event frame and whether it is new. Logs one line."""
    g.request_id = request_id or logs.new_id()
    started, line = time.perf_counter(), {"outcome": "error", "seq": None, "new": None}
    try:
        frame, is_new = _apply(meeting_id, user_id, name, args, command_id)
        line.update(outcome="ack", seq=frame["seq"], new=is_new)
        return frame, is_new
    except DomainError as error:
        line["outcome"] = error.code
        raise
    except DBAPIError:
        line["outcome"] = "unavailable"
        raise
    finally:
        # The command's name and ids only: its arguments may hold a ballot choice or a receipt.
        command_log.info("command", extra=dict(line, request_id=g.request_id, meeting_id=meeting_id, user_id=user_id,
                                               command=str(name)[:48], command_id=str(command_id)[:64],
                                               duration_ms=round((time.perf_counter() - started) * 1000, 1)))


def _apply(meeting_id: int, user_id: Optional[int], name: object, args: object,
           command_id: object) -> tuple[dict, bool]:
    """The command's transaction."""
    user = db.session.get(User, user_id) if user_id is not None else None
    try:
        event, is_new = run_command(meeting_id, user, name, args, command_id)
        frame = event_frame(event)
        db.session.commit()
    except IntegrityError:
        # Two copies of one command raced: the loser reports the winner's seq.
        db.session.rollback()
        event = find_resent(meeting_id, user_id, command_id)
        if event is None:
            raise
        return event_frame(event), False
    except Exception:
        db.session.rollback()
        raise
    return frame, is_new


def fetch_events(meeting_id: int, since: int, upto: Optional[int] = None) -> list[dict]:
    """Event frames after since (up to upto), to fill a gap."""
    return events_after(meeting_id, since, upto)


def last_seqs(meeting_ids: list[int]) -> dict[int, int]:
    """The last seq of each meeting, to notice events written by the web door."""
    rows = db.session.execute(db.select(Meeting.id, Meeting.last_seq).filter(Meeting.id.in_(meeting_ids)))
    return dict(rows.all())


def still_allowed(meeting_id: int, user_ids: list[int]) -> set[int]:
    """Of these users, those who may still follow the meeting (not disabled, still participants)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return set()
    users = db.session.scalars(db.select(User).filter(User.id.in_(user_ids))).all()
    return {u.id for u in users if not u.is_disabled and can_watch_meeting(u, meeting)}
