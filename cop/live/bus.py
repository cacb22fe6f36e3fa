"""Wakes the rooms of every live process: in memory for one process, PostgreSQL LISTEN/NOTIFY across several.

The bus carries ids only ({"m": meeting, "s": seq} or a presence summary); the table stays the truth and a room
that sees a gap in seq reads the missing events from it.
"""
import asyncio
import json
import logging
import uuid
from typing import Callable, Optional

from flask import current_app
from sqlalchemy.engine import make_url

from cop.meetings import registry

CHANNEL = "cop_live"
log = logging.getLogger("cop.live")

Listener = Callable[[dict], None]


class MemoryBus:
    """One process: messages go straight to the listeners."""

    def __init__(self) -> None:
        self.origin = uuid.uuid4().hex[:12]
        self.listeners: list[Listener] = []

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
    """Several processes: LISTEN on one connection, NOTIFY on another."""

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self.conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._listen = self._notify = None
        self._task: Optional[asyncio.Task] = None

    async def start(self) -> None:
        """Open both connections and start listening."""
        import psycopg

        self._listen = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
        self._notify = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
        await self._listen.execute(f"LISTEN {CHANNEL}")
        self._task = asyncio.create_task(self._receive())

    async def _receive(self) -> None:
        """Hand every notification from another process to the listeners."""
        async for note in self._listen.notifies():
            try:
                message = json.loads(note.payload)
            except ValueError:
                log.warning("bus: unreadable payload %r", note.payload[:80])
                continue
            if message.get("o") == self.origin:
                continue
            for listener in self.listeners:
                listener(message)

    async def publish(self, message: dict) -> None:
        """NOTIFY the other processes (event commits notify inside their transaction instead)."""
        payload = json.dumps(dict(message, o=self.origin), separators=(",", ":"))
        await self._notify.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))

    async def stop(self) -> None:
        """Stop listening and close the connections."""
        if self._task:
            self._task.cancel()
        for conn in (self._listen, self._notify):
            if conn is not None:
                await conn.close()


def notify_in_transaction(session, meeting_id: int, seq: int, origin: str) -> None:
    """On PostgreSQL, queue a NOTIFY that is delivered when (and only if) the event's transaction commits."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from sqlalchemy import text

    payload = json.dumps({"m": meeting_id, "s": seq, "o": origin}, separators=(",", ":"))
    session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


def journaled(session, meeting_id: int, seq: int) -> None:
    """The journal's hook (`cop.meetings.registry`): wake the other live processes when the event commits."""
    notify_in_transaction(session, meeting_id, seq, current_app.config.get("COP_LIVE_ORIGIN", "web"))


registry.on_journal("live.bus", journaled)


def make_bus(kind: str, database_url: str) -> MemoryBus:
    """The bus named by COP_BUS."""
    if kind == "postgres":
        return PostgresBus(database_url)
    if kind != "memory":
        raise ValueError(f"COP_BUS inconnu : {kind!r} (memory ou postgres)")
    return MemoryBus()
