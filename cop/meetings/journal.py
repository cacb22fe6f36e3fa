"""The meeting's journal: every event, from a command or from the server's timers, is appended here.

`lock` takes the meeting's lock (the row on PostgreSQL, the database's write lock on SQLite) until the caller
commits; `append` then writes the event with the next `seq`. Taking the lock before reading what the event is about
keeps `seq` gapless and the journal in the order the changes were made.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import update

from cop.db import db
from cop.errors import NotFound
from cop.meetings import registry
from cop.meetings.models import Meeting, MeetingEvent


def lock(meeting_id: int) -> Meeting:
    """Lock the meeting until commit and return it freshly read; NotFound when it does not exist."""
    meeting = db.session.scalar(
        update(Meeting).where(Meeting.id == meeting_id).values(version=Meeting.version).returning(Meeting),
        execution_options={"synchronize_session": False, "populate_existing": True})
    if meeting is None:
        raise NotFound("Cette séance n’existe pas.")
    return meeting


def append(meeting: Meeting, name: str, data: dict, now: datetime, *, actor_id: Optional[int] = None,
           party_id: Optional[int] = None, command_id: Optional[str] = None) -> MeetingEvent:
    """Write the next event of a meeting locked by `lock`; the caller commits."""
    meeting.last_seq, meeting.version = meeting.last_seq + 1, meeting.version + 1
    event = MeetingEvent(meeting_id=meeting.id, seq=meeting.last_seq, name=name, actor_id=actor_id,
                         actor_party_id=party_id, data=data, command_id=command_id, created_dt=now)
    db.session.add(event)
    db.session.flush()
    registry.journaled(db.session, event)
    return event
