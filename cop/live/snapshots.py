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
        #: The UTF-8 bytes of recent state texts (by identity), and whole frames shared by watchers.
        self.encoded: dict[int, tuple[str, bytes]] = {}
        self.frames: dict[str, tuple[str, bytes]] = {}

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
        self.encoded.clear()
        self.frames.clear()

    def frame(self, seq: int, state_text: str, you: dict, extra: Optional[dict] = None) -> bytes:
        """A client's snapshot frame (UTF-8, to send as text) around the shared state, encoded once per state;
        clients whose head is the same (watchers without an account, in one language) share the whole frame."""
        head = dumps({"type": "snapshot", "seq": seq, "you": you, **(extra or {})})[:-1] + ',"state":'
        shared = self.frames.get(head)
        if shared is not None and shared[0] is state_text:
            return shared[1]
        encoded = self.encoded.get(id(state_text))
        if encoded is None or encoded[0] is not state_text:
            if len(self.encoded) >= 16:
                self.encoded.clear()
            encoded = self.encoded[id(state_text)] = (state_text, state_text.encode())
        frame = head.encode() + encoded[1] + b"}"
        if you.get("user_id") is None:
            if len(self.frames) >= 64:
                self.frames.clear()
            self.frames[head] = (state_text, frame)
        return frame

