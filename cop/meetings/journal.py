"""The meeting's journal: every event, from a command or from the server's timers, is appended here.

`lock` takes the meeting's lock (the row on PostgreSQL, the database's write lock on SQLite) until the caller
commits; `append` then writes the event with the next `seq`. Taking the lock before reading what the event is about
keeps `seq` gapless and the journal in the order the changes were made.
"""
from contextlib import contextmanager
from datetime import datetime
from typing import Iterator, Optional

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from cop.auth.models import User
from cop.conferences.models import Party

from cop.db import db
from cop.errors import NotFound
from cop.meetings import registry
from cop.meetings.models import Meeting, MeetingEvent


#: `session.info` key: the meeting whose row the session's transaction holds locked for a group of commands.
HELD = "cop_meeting_held"


#: `lock`'s statement, built once per process (building it took more CPU than sending it).
_LOCK = (update(Meeting).where(Meeting.id == bindparam("meeting_id")).values(version=Meeting.version)
         .returning(Meeting)
         .execution_options(synchronize_session=False, populate_existing=True))


def lock(meeting_id: int) -> Meeting:
    """Lock the meeting until commit and return it freshly read; NotFound when it does not exist. Within `held`, the
    transaction has the lock already: the meeting is the session's (no other transaction can have changed it)."""
    if db.session.info.get(HELD) == meeting_id:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is not None:
            return meeting
    meeting = db.session.scalar(_LOCK, {"meeting_id": meeting_id})
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
    """Write the next event of a meeting locked by `lock`; the caller commits.

    On PostgreSQL the event's row, the meeting's `last_seq` and what the journal's hooks ask for (the live bus's
    NOTIFY) go in one statement — one round trip instead of three on every event. The handler's own changes are
    flushed first, as the ORM's flush would have ordered them."""
    seq, version = meeting.last_seq + 1, meeting.version + 1
    event = MeetingEvent(meeting_id=meeting.id, seq=seq, name=name, actor_id=actor_id, actor_party_id=party_id,
                         data=data, command_id=command_id, created_dt=now)
    if db.session.get_bind().dialect.name != "postgresql":
        meeting.last_seq, meeting.version = seq, version
        db.session.add(event)
        db.session.flush()
        for expression, values in registry.journaled(db.session, event):
            db.session.execute(select(expression), values or {})
        return event
    db.session.flush()
    # The hooks see the event as it will be: its actor and party, already in the session (the command read them).
    event.actor = db.session.get(User, actor_id) if actor_id is not None else None
    event.actor_party = db.session.get(Party, party_id) if party_id is not None else None
    notices = registry.journaled(db.session, event)
    params = {f"event_{key}": getattr(event, key) for key in _EVENT_COLUMNS}
    params.update(meeting_id=meeting.id, last_seq=seq, version=version)
    for _, values in notices:
        params.update(values or {})
    # Bound to the journal's mapper, as the ORM statement it replaces was: the publication stamps see a write to the
    # journal (which no cached page reads; the meeting's `last_seq` and `version` neither), not one to an unknown table.
    event.id = db.session.execute(_append_query(notices), params,
                                  bind_arguments={"mapper": _EVENT_MAPPER}).scalar_one()
    # The row as written, into the session as if it had been read (no flush writes it again).
    make_transient_to_detached(event)
    db.session.add(event)
    set_committed_value(meeting, "last_seq", seq)
    set_committed_value(meeting, "version", version)
    return event


#: The event's columns `append` writes (its id is the database's).
_EVENT_COLUMNS = tuple(column.key for column in MeetingEvent.__table__.columns if column.key != "id")

_EVENT_MAPPER = inspect(MeetingEvent)

#: `append`'s statements, by the hooks' expressions they evaluate (those built once per process: the bus's NOTIFY).
_APPEND_QUERIES: dict[tuple, tuple] = {}


def _append_query(hooked: list):
    """`append`'s one statement on PostgreSQL, with parameters (`event_<column>`, `meeting_id`, `last_seq`,
    `version`, and the hooks'): built once per process for the same hooks' expressions when they are all built once
    themselves (returned with their parameters), since building it cost more CPU than sending it."""
    notices = tuple(expression for expression, _ in hooked)
    reusable = all(values is not None for _, values in hooked)
    key = tuple(id(notice) for notice in notices)
    memo = _APPEND_QUERIES.get(key) if reusable else None
    if memo is not None:
        return memo[0]
    meetings, columns = Meeting.__table__, MeetingEvent.__table__.c
    # The tables, not the mapped classes: a Core statement (the ORM's bulk paths would take its parameters for rows).
    counted = meetings.update().where(meetings.c.id == bindparam("meeting_id")).values(
        last_seq=bindparam("last_seq", type_=meetings.c.last_seq.type),
        version=bindparam("version", type_=meetings.c.version.type))
    if notices:
        # Run exactly once, to completion, whether or not the INSERT reads it (PostgreSQL's data-modifying WITH).
        counted = counted.returning(*notices)
    statement = (MeetingEvent.__table__.insert()
                 .values({key: bindparam(f"event_{key}", type_=columns[key].type) for key in _EVENT_COLUMNS})
                 .returning(columns.id).add_cte(counted.cte("counted")))
    if reusable and len(_APPEND_QUERIES) < 16:  # the expressions are kept with it: their ids stay theirs
        _APPEND_QUERIES[key] = (statement, notices)
    return statement


def forget(meeting_id: int) -> None:
    """After a savepoint was rolled back: the meeting's `last_seq` and `version` in the session may be ones the
    database no longer has (`append` writes them without the ORM): read them again (under the lock) when needed."""
    meeting = db.session.identity_map.get(db.session.identity_key(Meeting, meeting_id)) if meeting_id else None
    if meeting is not None:
        db.session.expire(meeting, ["last_seq", "version"])
