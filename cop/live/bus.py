"""Wakes the rooms of every live process: in memory for one process, PostgreSQL LISTEN/NOTIFY across several.

The bus carries ids ({"m": meeting, "s": seq} or a presence summary) and, when it fits, the committed event's own
frame ("f"): the other processes then deliver it as soon as PostgreSQL hands them the notification, without reading
the table again. The table stays the truth: the notification is sent by the event's own transaction (so it exists
exactly when the event was committed), a frame too long for a notification is not carried, and a room that sees a
gap in seq reads the missing events from the table.
"""
import asyncio
import json
import logging
import uuid
from typing import Callable, Optional

from flask import current_app
from sqlalchemy import String, bindparam, func as sa_func
from sqlalchemy.engine import make_url

from cop.meetings import registry

CHANNEL = "cop_live"
#: The largest notification that carries the event's frame, in bytes (PostgreSQL refuses 8,000 and more).
FRAME_PAYLOAD_MAX = 7000
log = logging.getLogger("cop.live")

Listener = Callable[[dict], None]


class MemoryBus:
    """One process: messages go straight to the listeners."""

    def __init__(self) -> None:
        self.origin = uuid.uuid4().hex[:12]
        self.listeners: list[Listener] = []
        #: What the health check reports: "memory", or "connecting" / "listening" / "down" / "stopped".
        self.state = "memory"
        self.reconnections = 0

    def on_resync(self, listener: Callable[[], None]) -> None:
        """In memory there is nothing to lose, hence nothing to resynchronise."""

    def subscribe(self, listener: Listener) -> None:
        """Call listener(message) for every message from another process."""
        self.listeners.append(listener)

    async def start(self) -> None:
        """Nothing to connect to."""

    async def stop(self) -> None:
        """Nothing to close."""

    async def publish(self, message: dict) -> None:
        """Tell the other processes; in memory there are none (commits already reached the local rooms)."""


class PostgresBus(MemoryBus):
    """Several processes: LISTEN on one connection, NOTIFY on another, both reopened whenever PostgreSQL goes away.

    After every reconnection (the first connection excepted) the resync listeners run, once LISTEN is in place:
    the rooms fill what they missed from the journal and presence is exchanged again.
    """

    #: Seconds between attempts while PostgreSQL is away, growing to the last one.
    BACKOFF = (0.2, 0.5, 1.0, 2.0)
    #: Seconds without a notification after which the listening connection is checked.
    CHECK_EVERY = 5.0

    def __init__(self, database_url: str) -> None:
        super().__init__()
        url = make_url(database_url).set(drivername="postgresql")
        self.conninfo = url.render_as_string(hide_password=False)
        self._listen = self._notify = None
        self._task: Optional[asyncio.Task] = None
        self.state = "connecting"
        self.reconnections = 0
        self.connected = asyncio.Event()
        self.resync_listeners: list[Callable[[], None]] = []

    def on_resync(self, listener: Callable[[], None]) -> None:
        """Call listener() each time the bus listens again after losing PostgreSQL."""
        self.resync_listeners.append(listener)

    async def start(self, wait: float = 10.0) -> None:
        """Start the connection keeper and wait (a bounded time) for the first LISTEN."""
        self._task = asyncio.create_task(self._keep_connected())
        try:
            await asyncio.wait_for(self.connected.wait(), wait)
        except (asyncio.TimeoutError, TimeoutError):
            log.warning("bus: PostgreSQL does not answer yet; events cross processes by polling meanwhile")

    async def _connect(self) -> None:
        """Open both connections (keepalives on, so a dead peer is noticed) and LISTEN."""
        import psycopg

        options = dict(autocommit=True, connect_timeout=5, keepalives=1, keepalives_idle=10, keepalives_interval=5,
                       keepalives_count=3)
        self._listen = await psycopg.AsyncConnection.connect(self.conninfo, **options)
        self._notify = await psycopg.AsyncConnection.connect(self.conninfo, **options)
        await self._listen.execute(f"LISTEN {CHANNEL}")

    async def _keep_connected(self) -> None:
        """Connect, listen until the connection fails, then reconnect with a growing pause, forever."""
        failures = 0
        while True:
            try:
                await self._connect()
                failures = 0
                self.state = "listening"
                self.connected.set()
                if self.reconnections:
                    log.info("bus: listening again (reconnection %d)", self.reconnections)
                    for listener in self.resync_listeners:
                        listener()
                await self._receive()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any driver error: PostgreSQL went away or refused us
                if failures == 0:
                    log.warning("bus: PostgreSQL connection lost (%s); reconnecting", type(error).__name__)
            self.state = "down"
            self.connected.clear()
            await self._close()
            if failures == 0:
                self.reconnections += 1
            await asyncio.sleep(self.BACKOFF[min(failures, len(self.BACKOFF) - 1)])
            failures += 1

    async def _receive(self) -> None:
        """Hand every notification from another process to the listeners; check the line when it is quiet."""
        while True:
            async for note in self._listen.notifies(timeout=self.CHECK_EVERY):
                self._dispatch(note.payload)
            await asyncio.wait_for(self._listen.execute("SELECT 1"), self.CHECK_EVERY)

    def _dispatch(self, payload: str) -> None:
        """Decode one notification and hand it to the listeners unless it came from this process."""
        try:
            message = json.loads(payload)
        except ValueError:
            log.warning("bus: unreadable payload %r", payload[:80])
            return
        if message.get("o") == self.origin:
            return
        for listener in self.listeners:
            listener(message)

    async def publish(self, message: dict) -> None:
        """NOTIFY the other processes; while PostgreSQL is away the message is dropped (resync covers it)."""
        if self.state != "listening" or self._notify is None:
            return
        payload = json.dumps(dict(message, o=self.origin), separators=(",", ":"))
        try:
            await self._notify.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        except Exception as error:  # the listening side notices too and reconnects both connections
            log.warning("bus: publish failed (%s)", type(error).__name__)

    async def _close(self) -> None:
        """Close whatever connection is still open."""
        for conn in (self._listen, self._notify):
            if conn is not None:
                try:
                    await conn.close()
                except Exception:  # already broken
                    pass
        self._listen = self._notify = None

    async def stop(self) -> None:
        """Stop the connection keeper and close the connections."""
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        await self._close()
        self.state = "stopped"


def payload_of(meeting_id: int, seq: int, origin: str, frame: Optional[dict] = None) -> str:
    """The notification of an event: its ids, with its frame when the whole stays under FRAME_PAYLOAD_MAX bytes."""
    message = {"m": meeting_id, "s": seq, "o": origin}
    if frame is not None:
        carried = json.dumps(dict(message, f=frame), separators=(",", ":"), ensure_ascii=False)
        if len(carried.encode()) <= FRAME_PAYLOAD_MAX:
            return carried
    return json.dumps(message, separators=(",", ":"))


def journaled(session, event):
    """The journal's hook (`cop.meetings.registry`): wake the other live processes when the event commits, handing
    them its frame — a `pg_notify` the journal runs in the statement that writes the event (PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    from cop.meetings.state import event_frame

    return _NOTIFY, {"live_bus_payload": payload_of(event.meeting_id, event.seq,
                                                     current_app.config.get("COP_LIVE_ORIGIN", "web"),
                                                     event_frame(event))}


#: The journal hook's expression, built once per process (the journal then reuses its statement).
_NOTIFY = sa_func.pg_notify(CHANNEL, bindparam("live_bus_payload", type_=String))


registry.on_journal("live.bus", journaled)


def make_bus(kind: str, database_url: str) -> MemoryBus:
    """The bus named by COP_BUS."""
    if kind == "postgres":
        return PostgresBus(database_url)
    if kind != "memory":
        raise ValueError(f"COP_BUS inconnu : {kind!r} (memory ou postgres)")
    return MemoryBus()
