"""A real live server on a free port (in a thread, or as `python -m cop.live` subprocesses), and real clients."""
import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from websockets.asyncio.client import connect

from cop.db import db
from cop.live import tokens
from cop.live.__main__ import serve_live
from cop.live.wire import frames_of
from cop.meetings.models import AgendaItem, Meeting

ORIGIN = "http://cop.test"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live(app):
    """A live server in a thread, on the test database, with short maintenance periods."""
    yield from _serve_in_thread(app)


@pytest.fixture
def live_bus(app):
    """The same on the PostgreSQL bus, reading the table only once a minute: events written elsewhere reach it by
    the bus alone."""
    yield from _serve_in_thread(app, COP_BUS="postgres", COP_LIVE_POLL_SECONDS=60)


def _serve_in_thread(app, **config):
    """Run a live server in a thread until the test ends."""
    app.config.update(COP_LIVE_POLL_SECONDS=0.2, COP_LIVE_RECHECK_SECONDS=0.3, COP_ALLOWED_ORIGINS=ORIGIN,
                      COP_LIVE_COMMAND_RATE=50, COP_LIVE_COMMAND_BURST=200, COP_LIVE_MAX_FRAME=16 * 1024,
                      COP_BUS="memory")
    app.config.update(config)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder = {}

    def run():
        asyncio.set_event_loop(loop)
        holder["stop"] = loop.create_future()
        ready = lambda server: (holder.update(port=server.sockets[0].getsockname()[1]), started.set())  # noqa: E731
        loop.run_until_complete(serve_live(app, "127.0.0.1", 0, ready=ready, stop=holder["stop"]))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10), "live server did not start"
    yield SimpleNamespace(url=f"ws://127.0.0.1:{holder['port']}/live", port=holder["port"], app=app)
    loop.call_soon_threadsafe(lambda: holder["stop"].done() or holder["stop"].set_result(None))
    thread.join(10)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_process(app, port: int, bus: str = "memory", origins: str = ORIGIN, poll: float = 0.5,
                  **env_extra) -> subprocess.Popen:
    """`python -m cop.live` on the test database; returns once its health check answers."""
    env = dict(os.environ, COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY=app.config["SECRET_KEY"],
               COP_LIVE_HOST="127.0.0.1", COP_LIVE_PORT=str(port), COP_BUS=bus, COP_ALLOWED_ORIGINS=origins,
               COP_LIVE_POLL_SECONDS=str(poll), **env_extra)
    proc = subprocess.Popen([sys.executable, "-m", "cop.live"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60  # a loaded CI machine starts Python slowly
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                if b"200 OK" in sock.recv(1024):
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("cop.live did not start: " + proc.stderr.read().decode()[-2000:])


class Peer:
    """A real websockets client speaking the live protocol."""

    def __init__(self, ws, first: dict):
        self.ws, self.first, self.events, self.presence = ws, first, [], None
        #: Frames of a message already read (events delivered together come as one message) not yet returned.
        self.unread: list[dict] = []
        #: How many messages carried several events at once.
        self.grouped = 0
        #: The reader's latest `may` (from the snapshot or welcome, then from "may" frames).
        self.may = first.get("may")

    @classmethod
    async def join(cls, url: str, meeting_id: int, token=None, since=None, origin: str = ORIGIN, **kw) -> "Peer":
        """Connect, say hello and read the first answer (snapshot, welcome or error)."""
        ws = await connect(url, origin=origin, max_queue=kw.pop("max_queue", None), **kw)
        hello = {"type": "hello", "meeting": meeting_id, "since": since}
        if token is not None:
            hello["token"] = token
        await ws.send(json.dumps(hello))
        return cls(ws, json.loads(await asyncio.wait_for(ws.recv(), 5)))

    async def recv(self, timeout: float = 5) -> dict:
        """The next frame; presence and may frames are kept aside."""
        while True:
            if not self.unread:
                self.unread = frames_of(await asyncio.wait_for(self.ws.recv(), timeout))
                self.grouped += len(self.unread) > 1
            frame = self.unread.pop(0)
            if frame["type"] == "presence":
                self.presence = frame
                continue
            if frame["type"] == "may":
                self.may = frame["may"]
                continue
            if frame["type"] == "event":
                self.events.append(frame)
            return frame

    async def command(self, name: str, args=None, cid: str | None = None) -> dict:
        """Send a command and return its ack or error (events received meanwhile are kept)."""
        cid = cid or f"c{time.monotonic_ns()}"
        await self.ws.send(json.dumps({"type": "command", "id": cid, "name": name, "args": args or {}}))
        while True:
            frame = await self.recv()
            if frame["type"] in ("ack", "error") and frame.get("id") == cid:
                return frame

    async def event(self, name: str | None = None) -> dict:
        """The next event (of that name), from those already received or the wire."""
        for frame in self.events:
            if name is None or frame["name"] == name:
                self.events.remove(frame)
                return frame
        while True:
            frame = await self.recv()
            if frame["type"] == "event" and (name is None or frame["name"] == name):
                self.events.remove(frame)
                return frame

    async def close(self) -> None:
        await self.ws.close()


def token_for(app, user, meeting) -> str:
    """A fresh live token for a user and a meeting."""
    return tokens.issue(app.config["SECRET_KEY"], user.id, meeting.id, user.session_nonce)


@pytest.fixture
def room(make):
    """A COP in negotiation, two accredited EPCI, a chair, delegates, an observer, a public plenary with 3 items."""
    return build_room(make)


def build_room(make) -> SimpleNamespace:
    """The `room` fixture's data, in the current app's database."""
    conf = make.conference(phase="negotiation", speaking_time_seconds=120, quorum_percent=50)
    party_a, party_b = make.party(conf, name="CA du Pays Voironnais"), make.party(conf, name="Grenoble-Alpes Métropole")
    party_c = make.party(conf, name="CC du Trièves")
    chair = make.member(conf, "presidency", user_obj=make.user(name="Présidente Roux"))
    a = make.member(conf, "head_of_delegation", party_a, user_obj=make.user(name="Alice Voiron"))
    a2 = make.member(conf, "delegate", party_a, user_obj=make.user(name="Arnaud Voiron"))
    b = make.member(conf, "delegate", party_b, user_obj=make.user(name="Bruno Grenoble"))
    observer = make.member(conf, "observer", user_obj=make.user(name="Olga Observatrice"))
    outsider = make.user(name="Ursule Extérieure")
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière d’ouverture", chair_id=chair.id,
                      starts_dt=datetime(2027, 3, 1, 9, tzinfo=timezone.utc), is_public=True, place="Lyon")
    db.session.add(meeting)
    db.session.flush()
    for position, title in enumerate(("Adoption de l’ordre du jour", "Synthèse", "Questions diverses"), 1):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title))
    db.session.commit()
    return SimpleNamespace(conf=conf, meeting=meeting, chair=chair, a=a, a2=a2, b=b, observer=observer,
                           outsider=outsider, party_a=party_a, party_b=party_b, party_c=party_c,
                           items=[i.id for i in meeting.items])


def run(coro):
    """Run a test scenario."""
    return asyncio.run(asyncio.wait_for(coro, 60))
