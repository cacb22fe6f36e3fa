"""Joins per second on the demo plenary, and how long 2,000 clients take to resynchronise after a live restart.

    python bench/rejoin.py [--clients 2000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/<scratch>]

Builds the demo COP (`cop demo`: the Auvergne-Rhône-Alpes plenary, its 166 parties) in a scratch database (a
temporary SQLite file, or the PostgreSQL database given, whose schema is dropped), starts `python -m cop.live`
(in-memory bus: one process), then:
1. joins: --clients clients connect (the COP's accounts with their live token, the others without an account) and
   say hello (200 handshakes at a time); printed: joins per second from the first connection to the last snapshot
   received, and the live process's CPU time per join;
2. restart: the live process is stopped (SIGTERM: every client is told to reconnect, close code 1012) and started
   again on the same port as systemd's Restart=always does; every client reconnects by itself with the browser's
   back-off (static/js/live-client.js) and the last seq it saw; printed: the time from the stop until every client
   has its welcome or snapshot again, split into the old process exiting, the new one starting and the rejoins.
Goals: ≥ 300 joins per second per live process; 2,000 clients resynchronised within 10 s of a restart.
"""
import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fanout_client import SEQ, open_client  # noqa: E402
from public_writes import free_port  # noqa: E402

HOST = "127.0.0.1"


def seed(url: str) -> int:
    """The demo COP in a fresh schema; the public plenary's id."""
    from sqlalchemy import select, text

    from cop import create_app
    from cop.config import Config
    from cop.db import db
    from cop.demo import build_demo
    from cop.auth.models import User
    from cop.conferences.models import Membership
    from cop.live import tokens
    from cop.meetings.models import Meeting

    app = create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        build_demo()
        meeting = db.session.scalar(select(Meeting).filter_by(kind="plenary", is_public=True).order_by(Meeting.id))
        parties = len(meeting.conference.parties)
        members = db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).filter(
            Membership.conference_id == meeting.conference_id).order_by(User.id)).all()
        grants = [tokens.issue("bench", user.id, meeting.id, user.session_nonce) for user in members]
        print(f"demo plenary {meeting.id}: {parties} parties, {len(grants)} accounts with a role in the COP "
              "(they join with their token)", flush=True)
        db.engine.dispose()
        return meeting.id, grants


def start(env: dict, port: int) -> subprocess.Popen:
    """`python -m cop.live` on the port."""
    return subprocess.Popen([sys.executable, "-m", "cop.live"], cwd=ROOT, stderr=subprocess.DEVNULL,
                            env=dict(env, COP_LIVE_HOST=HOST, COP_LIVE_PORT=str(port)))


async def wait_port(port: int) -> None:
    while True:
        try:
            _, writer = await asyncio.open_connection(HOST, port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.02)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Crowd:
    """Clients that (re)join a meeting and remember the last seq they saw; when the server closes them, they come
    back as static/js/live-client.js does: after 250–500 ms on a restart (1012), then every 0.5–1 s for a minute
    (then 1–2 s, 2–4 s… as after any other loss) while the server does not answer."""

    def __init__(self, port: int, meeting: int, size: int, grants: list[str]):
        self.port, self.meeting, self.size, self.grants = port, meeting, size, grants
        self.seq: dict[int, int] = {}
        self.synced: set[int] = set()
        self.done = None
        self.reconnect = False
        self.attempts, self.restarting = {}, set()

    def on_text(self, client, text: bytes) -> None:
        if text.startswith(b'{"type":"snapshot"') or text.startswith(b'{"type":"welcome"'):
            # The seq is in the frame's head: the bench does not parse the whole state (its CPU is the server's).
            self.seq[client.number] = int(SEQ.search(text).group(1))
            self.attempts[client.number] = 0
            self.synced.add(client.number)
            if len(self.synced) == self.size and not self.done.done():
                self.done.set_result(time.perf_counter())
        elif text.startswith(b'{"type":"event"'):
            self.seq[client.number] = int(SEQ.search(text).group(1))

    def lost(self, number: int, restart: bool) -> None:
        """A client's connection closed: come back later, as the browser does."""
        if not self.reconnect:
            return
        self.synced.discard(number)
        attempt = self.attempts.get(number, 0)
        if restart:
            self.restarting.add(number)
        restarting = number in self.restarting
        base = 0.5 if restart else 1.0 if restarting and attempt < 60 else min(
            30.0, 2.0 ** max(0, attempt - (59 if restarting else 0)))
        self.attempts[number] = attempt + 1
        asyncio.get_running_loop().call_later(base * (0.5 + random.random() / 2),
                                              lambda: asyncio.ensure_future(self.join(number)))

    async def join(self, number: int, gate: Optional[asyncio.Semaphore] = None) -> None:
        """Connect and say hello with the last seq seen (as the browser: one try, then the back-off)."""
        try:
            if gate is not None:
                async with gate:
                    client = await open_client(HOST, self.port, "/live", self.on_text)
            else:
                client = await open_client(HOST, self.port, "/live", self.on_text)
        except (OSError, ConnectionError, asyncio.TimeoutError):
            if gate is not None:  # the first joins: the server is there
                raise
            self.lost(number, False)
            return
        client.number = number
        client.on_lost = lambda restart: self.lost(number, restart)
        hello = {"type": "hello", "meeting": self.meeting, "since": self.seq.get(number)}
        if number < len(self.grants):
            hello["token"] = self.grants[number]
        client.send_text(json.dumps(hello))

    async def all_join(self) -> float:
        """Every client joins (200 handshakes at a time); the time the last one was synced."""
        self.synced, self.done = set(), asyncio.get_running_loop().create_future()
        gate = asyncio.Semaphore(200)
        await asyncio.gather(*(self.join(n, gate) for n in range(self.size)))
        return await asyncio.wait_for(self.done, 120)

    async def all_back(self) -> float:
        """The time every client was synced again (they reconnect by themselves)."""
        self.done = asyncio.get_running_loop().create_future()
        return await asyncio.wait_for(self.done, 180)


async def main(args) -> None:
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='cop-rejoin-')}/bench.sqlite3"
    meeting, grants = seed(url)
    env = dict(os.environ, COP_DATABASE_URL=url, SECRET_KEY="bench", COP_BUS="memory",
               COP_ALLOWED_ORIGINS="http://127.0.0.1", COP_LIVE_MAX_SOCKETS_PER_ADDRESS="100000")
    port = free_port()
    server = start(env, port)
    await wait_port(port)
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{engine}, {args.clients} clients, {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f}", flush=True)
    crowd = Crowd(port, meeting, args.clients, grants)
    try:
        spy = None
        if args.profile:
            spy = subprocess.Popen(["py-spy", "record", "-r", "200", "-f", "raw", "-o", args.profile, "-p",
                                    str(server.pid), "--threads"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            await asyncio.sleep(1)
        cpu, start_time = cpu_seconds(server.pid), time.perf_counter()
        last = await crowd.all_join()
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(30)
        elapsed, used = last - start_time, cpu_seconds(server.pid) - cpu
        rate = args.clients / elapsed
        print(f"joins: {rate:.0f} per second ({args.clients} in {elapsed:.2f} s), live process CPU "
              f"{used * 1000 / args.clients:.2f} ms per join — goal ≥ 300/s: {'met' if rate >= 300 else 'NOT met'}",
              flush=True)
        crowd.reconnect = True
        back = asyncio.ensure_future(crowd.all_back())
        stopped = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        await asyncio.to_thread(server.wait, 30)  # the clients keep answering the closing handshakes meanwhile
        exited = time.perf_counter()
        server = start(env, port)  # as systemd's Restart=always does
        await wait_port(port)
        answering = time.perf_counter()
        last = await back
        total = last - stopped
        print(f"restart: every client resynchronised {total:.2f} s after the stop (process exited after "
              f"{exited - stopped:.2f} s, new one answering {answering - exited:.2f} s later, last client synced "
              f"{last - answering:.2f} s after that) — goal ≤ 10 s: {'met' if total <= 10 else 'NOT met'}",
              flush=True)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--profile", help="record the live process during the joins with py-spy (raw stacks)")
    parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database (default: a SQLite file)")
    asyncio.run(main(parser.parse_args()))
