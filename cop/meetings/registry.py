"""Where the features built on meetings plug in, so that meetings and the live server never import them.

A feature registers, when it is imported (the app factory imports them all): a part of the room's snapshot, a
rewriting of a command's arguments by the live server (what the server measures, not what a client says), a
maintenance tick and an event hook for its timers. The live transport registers how a journaled event wakes the
other processes. Command handlers have their own table, `cop.meetings.commands.COMMANDS`.
Each table is keyed by name, so registering again replaces instead of adding twice.
"""
from typing import Any, Awaitable, Callable, Optional

from cop.meetings.models import Meeting, MeetingEvent

#: name → part(meeting): the JSON under that key in the snapshot.
SnapshotPart = Callable[[Meeting], Any]
SNAPSHOT_PARTS: dict[str, SnapshotPart] = {}

#: name → enrich(command name, args, room): the args the command runs with (the live server calls it).
Enricher = Callable[[Any, Any, Any], Any]
ENRICHERS: dict[str, Enricher] = {}

#: name → tick(server, meeting_id=None): awaited on every maintenance tick of a live process.
Tick = Callable[..., Awaitable[None]]
TICKS: dict[str, Tick] = {}

#: name → on_event(server, meeting_id, frame): called after a live process delivered an event to its room.
EventHook = Callable[[Any, int, dict], None]
EVENT_HOOKS: dict[str, EventHook] = {}

#: name → journaled(session, event): called in the event's transaction with the event as it is written (its seq,
#: data, actor and time set); returns an SQL expression the journal evaluates in the statement that writes the event
#: (e.g. the live bus's `pg_notify`), or None. It may return (expression, parameters) instead: an expression built
#: once per process with bound parameters, and their values for this event — the journal then builds its
#: statement once, not on every event (parameter names are the hook's own: prefix them with its name).
JournalHook = Callable[[Any, MeetingEvent], Any]
JOURNAL_HOOKS: dict[str, JournalHook] = {}


def snapshot_part(name: str, part: SnapshotPart) -> None:
    """Add `part(meeting)` to the room's snapshot under `name`."""
    SNAPSHOT_PARTS[name] = part


def enricher(name: str, enrich: Enricher) -> None:
    """Let the live server rewrite a command's arguments before it is queued."""
    ENRICHERS[name] = enrich


def timer(name: str, tick: Optional[Tick] = None, on_event: Optional[EventHook] = None) -> None:
    """Register a feature's timers: a maintenance tick, and a hook on every delivered event."""
    if tick is not None:
        TICKS[name] = tick
    if on_event is not None:
        EVENT_HOOKS[name] = on_event


def on_journal(name: str, hook: JournalHook) -> None:
    """Run `hook(session, event)` in the transaction of every journaled event, and evaluate what it returns there."""
    JOURNAL_HOOKS[name] = hook


def snapshot_parts(meeting: Meeting) -> dict:
    """Every registered part of the snapshot."""
    return {name: part(meeting) for name, part in SNAPSHOT_PARTS.items()}


def enrich(name, args, room):
    """The arguments a command runs with, after every registered enricher."""
    for rewrite in ENRICHERS.values():
        args = rewrite(name, args, room)
    return args


async def tick(server) -> None:
    """One maintenance tick of every registered timer."""
    for run in list(TICKS.values()):
        await run(server)


def delivered(server, meeting_id: int, frame: dict) -> None:
    """Tell every registered timer that an event was delivered."""
    for hook in list(EVENT_HOOKS.values()):
        hook(server, meeting_id, frame)


def journaled(session, event: MeetingEvent) -> list:
    """Run every journal hook for an event being written: the SQL expressions to evaluate with it, each with the
    values of its parameters (None for an expression built for this event alone)."""
    return [notice if isinstance(notice, tuple) else (notice, None)
            for notice in (hook(session, event) for hook in list(JOURNAL_HOOKS.values())) if notice is not None]
