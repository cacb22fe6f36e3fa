"""The meeting's journal: every event, from a command or from the server's timers, is appended here.

`lock` takes the meeting's lock (the row on PostgreSQL, the database's write lock on SQLite) until the caller
commits; `append` then writes the event with the next `seq`. Taking the lock before reading what the event is about
keeps `seq` gapless and the journal in the order the changes were made.
"""
from contextlib import contextmanager
from datetime import datetime
from typing import Iterator, Optional

from sqlalchemy import update

from cop.db import db
from cop.errors import NotFound
from cop.meetings import registry
from cop.meetings.models import Meeting, MeetingEvent


#: `session.info` key: the meeting whose row the session's transaction holds locked for a group of commands.
HELD = "cop_meeting_held"


def lock(meeting_id: int) -> Meeting:
    """Lock the meeting until commit and return it freshly read; NotFound when it does not exist. Within `held`, the
    transaction has the lock already: the meeting is the session's (no other transaction can have changed it)."""
    if db.session.info.get(HELD) == meeting_id:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is not None:
            return meeting
    meeting = db.session.scalar(
        update(Meeting).where(Meeting.id == meeting_id).values(version=Meeting.version).returning(Meeting),
        execution_options={"synchronize_session": False, "populate_existing": True})
    if meeting is None:
        raise NotFound("Cette séance n’existe pas.")
    return meeting


@contextmanager
def held(meeting_id: int) -> Iterator[Meeting]:
    """Lock the meeting for the rest of the transaction and let the commands run inside lock it again for free (a
    group of live commands, each in its own savepoint: the lock, taken before them, outlives their rollbacks). The
    caller commits or rolls back inside the block."""
    meeting = lock(meeting_id)
    db.session.info[HELD] = meeting_id
    try:
        yield meeting
    finally:
        db.session.info.pop(HELD, None)


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
