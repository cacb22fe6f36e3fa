"""One snapshot per meeting and seq, built once and encoded once, shared by every client that joins.

A joining client is sent the shared state (JSON text, encoded once) inside its own frame, then the events between
the snapshot's seq and the room's from the room's recent frames; concurrent joins wait for the same build, so 2,000
clients reconnecting at once cost one snapshot, not 2,000.
"""
import asyncio
from typing import Optional

from cop.live.rooms import Room, dumps



class Snapshots:
    """The latest snapshot of each meeting of this process, as (seq, state as JSON text)."""

    def __init__(self, server):
        self.server = server
        self.latest: dict[int, tuple[int, str]] = {}
        self.building: dict[int, asyncio.Future] = {}

    async def _build(self, meeting_id: int) -> tuple[int, str]:
        """Read and encode the meeting's snapshot (in a worker thread); keep it if it is the newest."""
        snap, _ = await self.server.run(self.server.work.catch_up, meeting_id, None, 0)
        built = (snap["seq"], dumps(snap["state"]))
        if built[0] >= self.latest.get(meeting_id, (-1, ""))[0]:
            self.latest[meeting_id] = built
        return built

    def _shared_build(self, meeting_id: int) -> asyncio.Future:
        """The build in progress for a meeting, or a new one."""
        future = self.building.get(meeting_id)
        if future is None:
            future = self.building[meeting_id] = asyncio.ensure_future(self._build(meeting_id))
            future.add_done_callback(lambda _: self.building.pop(meeting_id, None))
        return future

    async def for_join(self, room: Room, upto: int) -> tuple[int, str, list[str]]:
        """(seq, state text, event frames after seq up to upto): what a client joining at upto needs.

        The latest snapshot serves while it is as new as the room; else the joins share one build (one that was
        already running may be a few events behind: they follow it, from the room's recent frames).
        """
        cached = self.latest.get(room.meeting_id)
        if cached is not None and cached[0] >= upto:
            return cached[0], cached[1], []
        seq, text = await asyncio.shield(self._shared_build(room.meeting_id))
        frames = room.frames_between(seq, upto)
        if frames is None:
            seq, text = await self._build(room.meeting_id)
            frames = room.frames_between(seq, upto) or []
        return seq, text, frames

    def forget(self, meeting_id: int) -> None:
        """Drop a meeting's snapshot (its room closed)."""
        self.latest.pop(meeting_id, None)


def snapshot_frame(seq: int, state_text: str, you: dict, extra: Optional[dict] = None) -> str:
    """A client's snapshot frame around the shared state text."""
    head = {"type": "snapshot", "seq": seq, "you": you, **(extra or {})}
    return dumps(head)[:-1] + ',"state":' + state_text + "}"
