"""What the live server does for the negotiation: the measured presence for `vote.open`, and the gavel's timer.

Through `cop.meetings.registry` (see `cop/negotiation/__init__.py`), the server calls `with_presence` before running
a command, `schedule` after delivering an event, and `settle` on every maintenance tick. A window is settled at its
end by the process that opened it, and by any process's next tick otherwise (after a restart, or for a proposal made
through the web door); settling twice is harmless.
"""
import asyncio
import logging
from datetime import datetime
from typing import Optional

from cop.db import db
from cop.meetings.state import event_frame
from cop.negotiation.decisions.timers import settle_due

log = logging.getLogger("cop.live")
#: Seconds after a window's end before its timer fires, so that the end has passed on every clock reading.
GRACE = 0.05


def with_presence(name, args, room):
    """For `vote.open`, replace any `present` a client sent by the presence this server measures."""
    if name != "vote.open" or not isinstance(args, dict):
        return args
    return dict(args, present=room.presence()["present"])


def settle_frames(meeting_id: Optional[int] = None) -> list[tuple[int, dict]]:
    """Settle due windows and return (meeting id, event frame) of what was journaled (worker thread)."""
    events = settle_due(meeting_id)
    frames = [(event.meeting_id, event_frame(event)) for event in events]
    db.session.remove()
    return frames


async def settle(server, meeting_id: Optional[int] = None) -> None:
    """Settle due windows and deliver the events to the rooms of this process."""
    for room_id, frame in await server.run(settle_frames, meeting_id, write=True):
        room = server.rooms.get(room_id)
        if room is not None:
            server.deliver(room, frame)


def schedule(server, meeting_id: int, frame: dict) -> None:
    """When a proposal of adoption is delivered, settle it as soon as its window ends."""
    if frame.get("name") != "decision.proposed":
        return
    ends = datetime.fromisoformat(frame["data"]["window"]["ends_at"].replace("Z", "+00:00"))
    delay = max(0.0, (ends - datetime.now(ends.tzinfo)).total_seconds()) + GRACE
    loop = asyncio.get_running_loop()
    loop.call_later(delay, lambda: loop.create_task(_settle_logged(server, meeting_id)))


async def _settle_logged(server, meeting_id: int) -> None:
    """The timer's work; a failure is logged and left to the next maintenance tick."""
    try:
        await settle(server, meeting_id)
    except Exception:  # the maintenance tick retries
        log.exception("settling an objection window failed")
