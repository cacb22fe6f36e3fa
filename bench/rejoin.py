"""Joins per second on the demo plenary, and how long 2,000 clients take to resynchronise after a live restart.

    python bench/rejoin.py [--clients 2000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/<scratch>]

Builds the demo COP (`cop demo`: the Auvergne-Rhône-Alpes plenary, its 166 parties) in a scratch database (a
temporary SQLite file, or the PostgreSQL database given, whose schema is dropped), starts `python -m cop.live`
(in-memory bus: one process), then:
1. joins: --clients anonymous clients connect and say hello (200 handshakes at a time); printed: joins per second
   from the first connection to the last snapshot received, and the live process's CPU time per join;
2. restart: the live process is stopped (SIGTERM: every client is told to reconnect, close code 1012) and started
   again on the same port; every client reconnects with the last seq it saw; printed: the time from the stop, and
   from the new process answering, until every client has its welcome or snapshot again.
Goals: ≥ 300 joins per second per live process; 2,000 clients resynchronised within 10 s of a restart.
"""
import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fanout_client import open_client  # noqa: E402
from public_writes import free_port  # noqa: E402

HOST = "127.0.0.1"


def seed(url: str) -> int:
    """The demo COP in a fresh schema; the public plenary's id."""
    from sqlalchemy import select, text

    from cop import create_app
    from cop.config import Config
    from cop.db import db
    from cop.demo import build_demo
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
        print(f"demo plenary {meeting.id}: {parties} parties", flush=True)
        db.engine.dispose()
        return meeting.id


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
    """Clients that (re)join a meeting and remember the last seq they saw."""

    def __init__(self, port: int, meeting: int, size: int):
        self.port, self.meeting, self.size = port, meeting, size
        self.seq: dict[int, int] = {}
        self.synced: set[int] = set()
        self.done = None

    def on_text(self, client, text: bytes) -> None:
        if text.startswith(b'{"type":"snapshot"') or text.startswith(b'{"type":"welcome"'):
            self.seq[client.number] = json.loads(text)["seq"]
            self.synced.add(client.number)
            if len(self.synced) == self.size and not self.done.done():
                self.done.set_result(time.perf_counter())
        elif text.startswith(b'{"type":"event"'):
            self.seq[client.number] = json.loads(text)["seq"]

    async def join(self, number: int, gate: asyncio.Semaphore) -> None:
        """Connect (retrying while the server is down) and say hello with the last seq seen."""
        async with gate:
            while True:
                try:
                    client = await open_client(HOST, self.port, "/live", self.on_text)
                    break
                except (OSError, ConnectionError, asyncio.TimeoutError):
                    await asyncio.sleep(0.05)
            client.number = number
            client.send_text(json.dumps({"type": "hello", "meeting": self.meeting, "since": self.seq.get(number)}))

    async def all_join(self) -> float:
        """Every client joins; the time the last one was synced."""
        self.synced, self.done = set(), asyncio.get_running_loop().create_future()
        gate = asyncio.Semaphore(200)
        await asyncio.gather(*(self.join(n, gate) for n in range(self.size)))
        return await asyncio.wait_for(self.done, 120)


async def main(args) -> None:
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='cop-rejoin-')}/bench.sqlite3"
    meeting = seed(url)
    env = dict(os.environ, COP_DATABASE_URL=url, SECRET_KEY="bench", COP_BUS="memory",
               COP_ALLOWED_ORIGINS="http://127.0.0.1", COP_LIVE_MAX_SOCKETS_PER_ADDRESS="100000")
    port = free_port()
    server = start(env, port)
    await wait_port(port)
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{engine}, {args.clients} clients, {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f}", flush=True)
    crowd = Crowd(port, meeting, args.clients)
    try:
        cpu, start_time = cpu_seconds(server.pid), time.perf_counter()
        last = await crowd.all_join()
        elapsed, used = last - start_time, cpu_seconds(server.pid) - cpu
        rate = args.clients / elapsed
        print(f"joins: {rate:.0f} per second ({args.clients} in {elapsed:.2f} s), live process CPU "
              f"{used * 1000 / args.clients:.2f} ms per join — goal ≥ 300/s: {'met' if rate >= 300 else 'NOT met'}",
              flush=True)
        stopped = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        server = start(env, port)
        rejoin = asyncio.ensure_future(crowd.all_join())
        await wait_port(port)
        answering = time.perf_counter()
        last = await rejoin
        total = last - stopped
        print(f"restart: every client resynchronised {total:.2f} s after the stop ({last - answering:.2f} s after the "
              f"new process answered) — goal ≤ 10 s: {'met' if total <= 10 else 'NOT met'}", flush=True)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database (default: a SQLite file)")
    asyncio.run(main(parser.parse_args()))
