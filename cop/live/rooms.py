"""A meeting's room in one live process: its clients, in-order delivery, gap filling and presence."""
import asyncio
import json
import math
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Optional

from flask_babel import force_locale
from websockets.asyncio.server import ServerConnection, broadcast

from cop.live.wire import send_all
from cop.rulebook.live import as_json, overlay

PRESENCE_TTL = 45.0
MEETING_STATES = ("scheduled", "open", "suspended", "closed")
#: Recent event frames a room keeps, so that a join reuses a slightly older snapshot.
RECENT = 512
#: The most events one message carries (events delivered in one turn of the loop go out together).
OUTBOX_MAX = 256


def dumps(frame: dict) -> str:
    """Compact JSON, as sent on the wire."""
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


@dataclass(eq=False)
class Client:
    """One connection: who it is, and the last seq it was sent."""

    ws: ServerConnection
    user_id: Optional[int]
    party_id: Optional[int]
    can_chair: bool
    #: The reader's language ("fr" or "en"): the server's refusals are sent in it.
    language: str = "fr"
    #: The role part of the reader's `may` (cop/rulebook/live.py), read once when the client joined.
    roles: dict = field(default_factory=dict)
    #: The web session (account session nonce) its token was issued to: when it ends, the connection stops acting.
    session: Optional[str] = None
    sent_seq: int = -1
    synced: bool = False
    pending: list = field(default_factory=list)

    def __post_init__(self):
        #: The role part as a key: readers with the same roles, language and room state share one `may`.
        self.may_key = (self.language, tuple((action, answer.allowed, answer.reason, answer.error)
                                             for action, answer in self.roles.items()))


class Room:
    """Delivers a meeting's events to its clients in seq order, exactly once each."""

    def __init__(self, server, meeting_id: int, last_seq: int, accredited: list[int], quorum_percent: int,
                 phase: str = "negotiation", kind: str = "plenary", state: str = "scheduled"):
        self.server, self.meeting_id, self.last_seq = server, meeting_id, last_seq
        #: What the readers' `may` depends on besides their role; the state follows the meeting's events.
        self.phase, self.kind, self.state = phase, kind, state
        self.accredited, self.quorum_percent = set(accredited), quorum_percent
        self.clients: set[Client] = set()
        #: Connections per party, for presence.
        self.party_counts: Counter = Counter()
        self.synced: set[ServerConnection] = set()
        #: Clients still catching up, or whose snapshot is ahead of the room.
        self.waiting: set[Client] = set()
        self.remote: dict[str, tuple[float, set[int], int]] = {}
        self.presence_frame: Optional[str] = None
        self.presence_queued = False
        self.fill_lock = asyncio.Lock()
        #: (seq, frame text) of the latest events delivered, oldest first.
        self.recent: deque = deque(maxlen=RECENT)
        #: `may` as JSON per (reader's roles and language, phase, kind, state): a join does not recompute it.
        self.mays: dict[tuple, dict] = {}
        #: Event frames delivered in this turn of the event loop, not yet sent to the live clients (`flush`).
        self.outbox: list[str] = []
        self.flush_queued = False

    def join(self, client: Client) -> int:
        """Add a client, not yet synced; return the seq its catch-up must reach."""
        self.clients.add(client)
        self.waiting.add(client)
        if client.party_id is not None:
            self.party_counts[client.party_id] += 1
        return self.last_seq

    def synced_up_to(self, client: Client, seq: int) -> None:
        """The client has everything up to seq: flush what arrived meanwhile and go live."""
        client.sent_seq = seq
        for pending_seq, text in client.pending:
            if pending_seq > client.sent_seq:
                broadcast([client.ws], text)
                client.sent_seq = pending_seq
        client.pending.clear()
        client.synced = True
        if client.sent_seq <= self.last_seq:
            self.waiting.discard(client)
            self.go_live(client)

    def go_live(self, client: Client) -> None:
        """The client gets every later event with the others: what the outbox holds was already sent to it."""
        self.flush()
        self.synced.add(client.ws)

    def frames_between(self, after: int, upto: int) -> Optional[list[str]]:
        """The event frames with after < seq <= upto from the recent ones, or None when some are not kept."""
        if after >= upto:
            return []
        frames = [text for seq, text in self.recent if after < seq <= upto]
        return frames if len(frames) == upto - after else None

    def leave(self, client: Client) -> None:
        """Forget a client."""
        if client in self.clients and client.party_id is not None:
            self.party_counts[client.party_id] -= 1
        self.clients.discard(client)
        self.waiting.discard(client)
        self.synced.discard(client.ws)

    def post(self, text: str) -> None:
        """Send an event frame to every live client at the end of this turn of the event loop, in one message with
        the other events delivered meanwhile: a group of ballots committed together reaches each watcher as one
        WebSocket message (a JSON array of event frames), not one message per ballot."""
        self.outbox.append(text)
        if len(self.outbox) >= OUTBOX_MAX:
            self.flush()
        elif not self.flush_queued:
            self.flush_queued = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        """Send what the outbox holds: one frame as itself, several as a JSON array of frames, in seq order."""
        self.flush_queued = False
        if not self.outbox:
            return
        texts, self.outbox = self.outbox, []
        send_all(self.synced, texts[0] if len(texts) == 1 else "[" + ",".join(texts) + "]")

    def _deliver(self, frame: dict) -> None:
        """Send the next event to every live client; queue it for those still catching up."""
        seq, text = frame["seq"], dumps(frame)
        self.post(text)
        self.recent.append((seq, text))
        for client in list(self.waiting):
            if not client.synced:
                client.pending.append((seq, text))
            elif seq >= client.sent_seq:
                # A client whose snapshot was newer than the room rejoins the stream here.
                if seq > client.sent_seq:
                    broadcast([client.ws], text)
                self.waiting.discard(client)
                self.go_live(client)
        self.last_seq = seq
        if isinstance(frame.get("data"), dict) and frame["data"].get("state") in MEETING_STATES:
            self.state = frame["data"]["state"]
            self.flush()  # the event, then the readers' new `may`
            # Readers with the same roles and language share one `may`: each frame is encoded once.
            readers: dict[tuple, list] = {}
            for client in self.clients:
                if client.synced and client.user_id is not None:
                    readers.setdefault(client.may_key, []).append(client)
            for clients in readers.values():
                send_all([c.ws for c in clients], dumps(self.may_frame(clients[0], seq)))

    def may_of(self, client: Client) -> dict:
        """The client's `may` now, as JSON (no database: its role part was read when it joined); shared by the
        readers with the same roles and language (do not modify it)."""
        key = (client.may_key, self.phase, self.kind, self.state)
        may = self.mays.get(key)
        if may is None:
            if len(self.mays) >= 1024:
                self.mays.clear()
            with self.server.app.app_context(), force_locale(client.language):  # the reasons, in the reader's words
                may = self.mays[key] = as_json(overlay(client.roles, self.phase, self.kind, self.state))
        return may

    def may_frame(self, client: Client, seq: int) -> dict:
        """{"type": "may", "seq": …, "may": {…}}: the client's answers after the event of that seq."""
        return {"type": "may", "seq": seq, "may": self.may_of(client)}

    def publish(self, frame: dict) -> bool:
        """Deliver a committed event if it is the next one; False when there is a gap to fill first."""
        if frame["seq"] <= self.last_seq:
            return True
        if frame["seq"] != self.last_seq + 1 or self.fill_lock.locked():
            return False
        self._deliver(frame)
        return True

    async def fill(self, upto: Optional[int] = None) -> None:
        """Read the missing events from the table and deliver them in order."""
        async with self.fill_lock:
            if upto is not None and upto <= self.last_seq:
                return
            frames = await self.server.run(self.server.work.fetch_events, self.meeting_id, self.last_seq, upto)
            for frame in frames:
                if frame["seq"] == self.last_seq + 1:
                    self._deliver(frame)

    # Presence: a delegation is present while one of its members is connected, in any process.

    def local_presence(self) -> tuple[set[int], int]:
        """Parties with a member connected here, and the number of connections."""
        return {party for party, count in self.party_counts.items() if count > 0}, len(self.clients)

    def presence(self) -> dict:
        """The presence frame: who is here, the quorum and whether it is reached."""
        present, watchers = self.local_presence()
        now = time.monotonic()
        for origin, (seen, parties, count) in list(self.remote.items()):
            if now - seen > PRESENCE_TTL:
                del self.remote[origin]
                continue
            present |= parties
            watchers += count
        counted = present & self.accredited
        required = math.ceil(len(self.accredited) * self.quorum_percent / 100)
        return {"type": "presence", "present": sorted(present), "count": len(counted),
                "accredited": len(self.accredited), "required": required,
                "quorum": len(counted) >= required, "connections": watchers}

    def announce_presence(self, force: bool = False) -> None:
        """Broadcast presence when it changed (connection counts alone do not trigger it)."""
        frame = self.presence()
        key = dumps({k: v for k, v in frame.items() if k != "connections"})
        if force or key != self.presence_frame:
            self.presence_frame = key
            self.flush()
            send_all(self.synced, dumps(frame))
