"""Real writes while the public pages are measured: a live vote through `python -m cop.live`, and acceptances.

`seed()` turns the measured COP into one in negotiation whose rules call for public votes, with an open public
plenary (items with their drafts), its chair and the heads of delegation of DELEGATES parties. `Writes` then runs,
in threads of the bench process: websockets clients (the chair and the heads) sending `vote.cast` / `vote.change`
at a steady rate (the chair closes each vote after a few rounds of changes, which writes a decision, and opens the
next), and the presidency accepting one submitted commitment version per second through the domain function the
review page calls. It counts what was acknowledged, refused or failed.
"""
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
DELEGATES = 40
ITEMS = 100
CHANGES_PER_VOTE = 4


def seed(app, conference_id: int) -> dict:
    """Prepare the COP for the live writes; return the meeting, its items and the users' ids."""
    from cop.auth.models import User
    from cop.conferences.models import Conference, Membership, Party
    from cop.db import db, utcnow
    from cop.meetings.models import AgendaItem, Meeting
    from cop.negotiation.texts.operations import create_draft

    with app.app_context():
        conf = db.session.get(Conference, conference_id)
        conf.phase, conf.decision_mode, conf.secret_ballot, conf.quorum_percent = "negotiation", "vote", False, 10
        chair = User(email=f"chair-{secrets.token_hex(4)}@bench.test", name="Présidence du banc")
        db.session.add(chair)
        db.session.flush()
        db.session.add(Membership(user_id=chair.id, conference_id=conf.id, role="presidency"))
        heads = []
        for party in db.session.scalars(select(Party).filter_by(conference_id=conf.id).order_by(Party.id)
                                        .limit(DELEGATES)):
            head = User(email=f"head-{party.id}-{secrets.token_hex(3)}@bench.test", name=f"Chef {party.name}")
            db.session.add(head)
            db.session.flush()
            db.session.add(Membership(user_id=head.id, conference_id=conf.id, role="head_of_delegation",
                                      party_id=party.id, is_accredited=True))
            heads.append(head.id)
        meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière du banc", chair_id=chair.id,
                          is_public=True, state="open", starts_dt=datetime.now(timezone.utc))
        db.session.add(meeting)
        db.session.flush()
        items = []
        for position in range(1, ITEMS + 1):
            item = AgendaItem(meeting_id=meeting.id, position=position, title=f"Résolution {position}")
            db.session.add(item)
            db.session.flush()
            create_draft(chair, meeting, item, f"Résolution {position}", "La COP adopte ce point.", utcnow())
            items.append(item.id)
        db.session.commit()
        nonces = {str(u.id): u.session_nonce
                  for u in db.session.scalars(db.select(User).where(User.id.in_([chair.id, *heads])))}
        return {"conference": conf.id, "meeting": meeting.id, "items": items, "chair": chair.id, "heads": heads,
                "nonces": nonces}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_live(env: dict) -> tuple[subprocess.Popen, int]:
    """`python -m cop.live` on the bench database, ready when its health check answers."""
    port = free_port()
    log = open(os.environ.get("COP_BENCH_LIVE_LOG", os.devnull), "ab")
    process = subprocess.Popen([sys.executable, "-m", "cop.live"], cwd=ROOT, stderr=log,
                               env=dict(env, COP_LIVE_HOST="127.0.0.1", COP_LIVE_PORT=str(port)))
    deadline = time.monotonic() + 180  # a loaded machine takes long to import the app
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                if b"200" in sock.recv(1024):
                    return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("cop.live did not start")


class Writes:
    """The live vote and the acceptances, in two threads, at the rates asked."""

    def __init__(self, app, seeded: dict, port: int, rate: float, accept_rate: float):
        self.app, self.seeded, self.port, self.rate, self.accept_rate = app, seeded, port, rate, accept_rate
        self.acked = self.refused = self.accepted = self.accept_failed = 0
        self.messages: list[str] = []
        self.opened: dict[int, int] = {}
        self.present = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._live, daemon=True),
                        threading.Thread(target=self._accept, daemon=True)]

    def start(self) -> "Writes":
        self.started = time.perf_counter()
        for thread in self.threads:
            thread.start()
        return self

    def finish(self) -> dict:
        """Stop; the rates achieved over the measured window (from the delegations' joins to the stop).

        The counts are taken when the stop is asked: the acknowledgements still awaited then, the last vote's close
        and the sockets' closing handshakes come after the window and are not counted in it (counting the time they
        take, as this driver once did, showed 27 commands/s for 40 acknowledged)."""
        stopped, acked, accepted = time.perf_counter(), self.acked, self.accepted
        self.stop.set()
        for thread in self.threads:
            thread.join(30)
        seconds = stopped - self.started
        live_seconds = stopped - getattr(self, "live_started_at", self.started)
        return {"live_per_s": acked / live_seconds if live_seconds > 0 else 0.0, "refused": self.refused,
                "accepted_per_s": accepted / seconds,
                "accept_failed": self.accept_failed, "seconds": seconds, "messages": self.messages[:3]}

    def _accept(self) -> None:
        """Accept one submitted version of the COP per 1/accept_rate seconds, as the review page does."""
        from cop.auth.models import User
        from cop.commitments import submission
        from cop.commitments.models import Commitment, CommitmentVersion
        from cop.db import db

        with self.app.app_context():
            chair = db.session.get(User, self.seeded["chair"])
            pending = db.session.scalars(
                select(CommitmentVersion.id).join(Commitment, Commitment.id == CommitmentVersion.commitment_id)
                .where(Commitment.conference_id == self.seeded["conference"], CommitmentVersion.status == "submitted")
                .order_by(CommitmentVersion.id)).all()
            due = time.monotonic()
            for version_id in pending:
                due += 1 / self.accept_rate  # a fixed timetable: the time an acceptance takes is not added to it
                if self.stop.wait(max(0.0, due - time.monotonic())):
                    return
                try:
                    submission.review(chair, db.session.get(CommitmentVersion, version_id), True, "")
                    db.session.commit()
                    self.accepted += 1
                except Exception as error:  # counted and shown: the bench must not hide a failed write
                    db.session.rollback()
                    self.accept_failed += 1
                    self.messages.append(repr(error)[:200])

    def _live(self) -> None:
        asyncio.run(self._vote())

    async def _vote(self) -> None:
        """Open a vote, cast, change a few times, close, next item; one command every 1/rate seconds."""
        from websockets.asyncio.client import connect

        from cop.live import tokens

        key, meeting, url = self.app.config["SECRET_KEY"], self.seeded["meeting"], f"ws://127.0.0.1:{self.port}/live"
        origin = "http://127.0.0.1"
        users = [self.seeded["chair"], *self.seeded["heads"]]
        sockets = []
        for user_id in users:
            ws = await connect(url, origin=origin, max_queue=None)
            await ws.send(json.dumps({"type": "hello", "meeting": meeting, "since": None,
                                      "token": tokens.issue(key, user_id, meeting,
                                                                   self.seeded["nonces"][str(user_id)])}))
            sockets.append(ws)
        answers: dict[str, asyncio.Future] = {}
        readers = [asyncio.create_task(self._read(ws, answers)) for ws in sockets]
        for _ in range(600):  # every head is in the room (its snapshot received): the quorum counts them
            if self.present >= len(sockets) - 1:
                break
            await asyncio.sleep(0.1)
        chair, heads = sockets[0], sockets[1:]
        loop, pending = asyncio.get_running_loop(), set()
        gap = 1 / self.rate
        self.live_started_at, due = time.perf_counter(), loop.time()  # the rate counts from here, joins done

        async def tick() -> None:
            """Wait for the next slot of a fixed timetable (start + k / rate): time lost opening or closing a
            vote is made up by the following casts, so the rate offered over the pass is the rate asked."""
            nonlocal due
            due += gap
            if due > loop.time():
                await asyncio.sleep(due - loop.time())

        while self.seeded["items"]:
            if self.stop.is_set():
                break
            item = self.seeded["items"].pop(0)  # an item is voted on once: the next pass goes on with the next one
            vote_id = await self._open(chair, answers, item)
            await tick()
            if vote_id is None:
                continue
            for turn in range(1 + CHANGES_PER_VOTE):
                for ws in heads:
                    if self.stop.is_set():
                        break
                    name = "vote.cast" if turn == 0 else "vote.change"
                    choice = ("yes", "no", "abstain")[(turn + heads.index(ws)) % 3]
                    pending.add(asyncio.ensure_future(self._send(ws, answers, name, {"vote_id": vote_id,
                                                                                     "choice": choice})))
                    await tick()
            await asyncio.gather(*pending)  # every ballot in before the close (they come from other sockets)
            pending.clear()
            await self._send(chair, answers, "vote.close", {"vote_id": vote_id})  # also when stopping: none left open
            await tick()
        for task in readers:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in sockets))

    async def _open(self, chair, answers, item: int):
        """Open a vote on an item; its id, read from the event of the acknowledged seq."""
        frame = await self._send(chair, answers, "vote.open", {"item_id": item})
        if frame is None:
            return None
        for _ in range(3000):  # its event may come after the ack, late on a loaded machine
            if frame["seq"] in self.opened:
                return self.opened.pop(frame["seq"])
            await asyncio.sleep(0.01)
        return None

    async def _send(self, ws, answers, name: str, args: dict):
        """Send a command and wait for its ack (or error); count it."""
        cid = secrets.token_hex(6)
        future = answers[cid] = asyncio.get_running_loop().create_future()
        await ws.send(json.dumps({"type": "command", "id": cid, "name": name, "args": args}))
        try:
            frame = await asyncio.wait_for(future, 30)
        except asyncio.TimeoutError:
            self.refused += 1
            return None
        if frame["type"] != "ack":
            self.refused += 1
            self.messages.append(f"{name}: {frame.get('message')}")
            return None
        self.acked += 1
        return frame

    async def _read(self, ws, answers) -> None:
        """Settle acks and errors; remember the vote each vote.opened event names, by seq."""
        async for text in ws:
            if text.startswith('{"type":"presence"'):
                self.present = max(self.present, json.loads(text)["count"])
            elif '"name":"vote.opened"' in text:  # alone, or among events delivered together (a JSON array)
                data = json.loads(text)
                for frame in data if isinstance(data, list) else [data]:
                    if frame.get("name") == "vote.opened":
                        self.opened[frame["seq"]] = frame["data"]["vote"]["id"]
            elif '"type":"ack"' in text or '"type":"error"' in text:
                frame = json.loads(text)
                future = answers.pop(frame.get("id"), None)
                if future is not None and not future.done():
                    future.set_result(frame)


def environment(url: str) -> dict:
    """The live server's environment for the bench."""
    return dict(os.environ, COP_DATABASE_URL=url, SECRET_KEY="bench", COP_LIVE_TOKEN_TTL="3600",
                COP_LIVE_COMMAND_RATE="100000", COP_LIVE_COMMAND_BURST="100000",
                COP_ALLOWED_ORIGINS="http://127.0.0.1", COP_BUS="memory")  # one live process
