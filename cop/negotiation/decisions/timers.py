"""The gavel without a command: objection windows whose time is up are settled by the server.

The end of a window is stored, and objections are only accepted before it, so settling later gives the same outcome
as settling on time. The live server settles due windows on a timer and on every maintenance tick (so a restart
loses nothing); a web page settles them lazily before it shows the meeting. Each settlement is journaled as a
system event (no actor) under the meeting's lock, like a command.
"""
from datetime import datetime
from typing import Optional

from cop.db import db, utcnow
from cop.meetings import journal
from cop.meetings.models import MeetingEvent
from cop.meetings.rules import aware
from cop.negotiation.decisions.consensus import due_windows
from cop.negotiation.decisions.commands import settle_event
from cop.negotiation.decisions.models import ObjectionWindow


def settle_window(meeting_id: int, window_id: int, now: Optional[datetime] = None) -> Optional[MeetingEvent]:
    """Settle one due window and journal it; None when someone else already did. The caller commits."""
    now = now or utcnow()
    meeting = journal.lock(meeting_id)
    window = db.session.get(ObjectionWindow, window_id, populate_existing=True)
    if window is None or window.state != "open" or aware(window.ends_dt) > now:
        return None
    name, data = settle_event(meeting, window, now)
    return journal.append(meeting, name, data, now)


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
