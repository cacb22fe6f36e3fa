"""The gavel without a command: objection windows whose time is up are settled by the server.

The end of a window is stored, and objections are only accepted before it, so settling later gives the same outcome
as settling on time. The live server settles due windows on a timer and on every maintenance tick (so a restart
loses nothing); a web page settles them lazily before it shows the meeting. Each settlement is journaled as a
system event (no actor) under the meeting's lock, like a command.
"""
from datetime import datetime
from typing import Optional

from flask import current_app
from sqlalchemy import update

from cop.db import db, utcnow
from cop.live.bus import notify_in_transaction
from cop.meetings.models import Meeting, MeetingEvent
from cop.meetings.rules import aware
from cop.negotiation.decisions.consensus import due_windows
from cop.negotiation.decisions.commands import settle_event
from cop.negotiation.decisions.models import ObjectionWindow


def _lock(meeting_id: int) -> None:
    """Take the meeting's lock (row lock on PostgreSQL, the write lock on SQLite) without a new seq."""
    db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(version=Meeting.version)
                       .execution_options(synchronize_session=False))


def settle_window(meeting_id: int, window_id: int, now: Optional[datetime] = None) -> Optional[MeetingEvent]:
    """Settle one due window and journal it; None when someone else already did. The caller commits."""
    now = now or utcnow()
    _lock(meeting_id)
    window = db.session.get(ObjectionWindow, window_id, populate_existing=True)
    if window is None or window.state != "open" or aware(window.ends_dt) > now:
        return None
    meeting = db.session.get(Meeting, meeting_id, populate_existing=True)
    name, data = settle_event(meeting, window, now)
    meeting.last_seq, meeting.version = meeting.last_seq + 1, meeting.version + 1
    event = MeetingEvent(meeting_id=meeting_id, seq=meeting.last_seq, name=name, data=data, created_dt=now)
    db.session.add(event)
    db.session.flush()
    notify_in_transaction(db.session, meeting_id, event.seq, current_app.config.get("COP_LIVE_ORIGIN", "web"))
    return event


def settle_due(meeting_id: Optional[int] = None, now: Optional[datetime] = None) -> list[MeetingEvent]:
    """Settle every due window (of one meeting, or all), each in its own transaction; return the new events."""
    now = now or utcnow()
    events = []
    for window_meeting, window_id in due_windows(now):
        if meeting_id is not None and window_meeting != meeting_id:
            continue
        try:
            event = settle_window(window_meeting, window_id, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        if event is not None:
            events.append(event)
    return events
