"""A live process killed with SIGKILL under load: its clients resume on the other process, nothing is lost."""
import asyncio
import os
import time

import pytest

from cop.auth.models import User
from cop.db import db
from cop.live import tokens
from cop.meetings.models import Meeting, MeetingEvent
from tests.live.conftest import free_port, run, start_process
from tests.live.resilient import Resilient
from tests.live.test_server import _stop

pytestmark = pytest.mark.postgres_only
#: COP_KILL_WATCHERS=1000 makes this test the 1,000-client bench run (docs/PERFORMANCE.md).
WATCHERS, DELEGATIONS = int(os.environ.get("COP_KILL_WATCHERS", 240)), 12


def test_sigkill_under_load_loses_nothing(app, room, make):
    heads = [make.member(room.conf, "head_of_delegation", make.party(room.conf)) for _ in range(DELEGATIONS)]
    db.session.commit()
    secret, meeting_id = app.config["SECRET_KEY"], room.meeting.id
    actors = [(room.chair.id, "chair")] + [(h.id, f"d{i}") for i, h in enumerate(heads)]
    ports = free_port(), free_port()
    # Every client of this test comes from 127.0.0.1: lift the per-address cap (200) so that all of them fit on the
    # surviving process; the cap itself is tested in tests/security/test_limits.py.
    procs = [start_process(app, port, bus="postgres", COP_LIVE_MAX_SOCKETS_PER_ADDRESS=str(10 * (WATCHERS + 20)))
             for port in ports]
    urls = [f"ws://127.0.0.1:{port}/live" for port in ports]
    acked: dict[tuple[int, str], int] = {}
    after_kill: list[bool] = []
    killed = asyncio.Event()

    def token_of(user_id):
        nonce = db.session.get(User, user_id).session_nonce  # the token names the web session it belongs to
        return lambda: tokens.issue(secret, user_id, meeting_id, nonce)

    async def act(client: Resilient, user_id: int, name: str, until: float, pause: float) -> None:
        """Send a command, wait for its answer, again and again."""
        while time.monotonic() < until:
            command_id, answer = client.command(name)
            frame = await asyncio.wait_for(answer, 30)
            if frame["type"] == "ack":
                acked[(user_id, command_id)] = frame["seq"]
                after_kill.append(killed.is_set())
            await asyncio.sleep(pause)

    async def scenario():
        players = {tag: Resilient(urls, meeting_id, token_of(uid), start=i, tag=tag)
                   for i, (uid, tag) in enumerate(actors)}
        watchers = [Resilient(urls, meeting_id, start=i) for i in range(WATCHERS)]
        clients = [*players.values(), *watchers]
        tasks = [asyncio.create_task(c.run()) for c in clients]
        await asyncio.wait_for(asyncio.gather(*(c.synced.wait() for c in clients)), 60 + len(clients) / 10)
        chair = players["chair"]
        assert (await chair.command("meeting.open")[1])["type"] == "ack"
        until = time.monotonic() + 6
        work = [asyncio.create_task(act(chair, room.chair.id, "floor.next", until, 0.3))]
        work += [asyncio.create_task(act(players[tag], uid, "floor.request", until, 0.3)) for uid, tag in actors[1:]]
        await asyncio.sleep(1.5)
        procs[0].kill()  # SIGKILL: no goodbye, no 1012
        killed.set()
        await asyncio.gather(*work)
        last = await asyncio.to_thread(_last_seq, app, meeting_id)
        deadline = time.monotonic() + 30 + len(clients) / 20
        while any(c.seq != last for c in clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        for client in clients:
            await client.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
        return clients, last

    try:
        clients, last = run(scenario())
    finally:
        _stop(procs)
    moved = [c for c in clients if c.connections > 1]
    print(f"\nSIGKILL: {len(clients)} clients, {len(moved)} moved to the other process, {len(acked)} commands "
          f"acknowledged ({sum(after_kill)} after the kill), {last} events, every client at seq {last}: "
          f"{all(c.seq == last for c in clients)}, gaps {sum(len(c.gaps) for c in clients)}, "
          f"duplicates {sum(c.duplicates for c in clients)}")
    assert len(moved) >= len(clients) // 2 - 1, "the killed process's clients reconnected elsewhere"
    assert all(c.seq == last for c in clients), "every client caught up with the journal"
    assert not [c for c in clients if c.gaps or c.duplicates], "each stream stayed gapless, each event once"
    assert sum(c.snapshots for c in clients) == len(clients), "resumed from their seq, not from a new snapshot"
    events = db.session.execute(db.select(MeetingEvent.actor_id, MeetingEvent.command_id, MeetingEvent.seq)
                                .filter_by(meeting_id=meeting_id)).all()
    recorded = {(actor, command): seq for actor, command, seq in events if command is not None}
    assert len(recorded) == len([e for e in events if e.command_id is not None])
    assert len(acked) > DELEGATIONS and any(after_kill), "commands were acknowledged before and after the kill"
    assert {key: recorded.get(key) for key in acked} == acked, "every acknowledged command recorded, with its seq"
    assert [e.seq for e in sorted(events, key=lambda e: e.seq)] == list(range(1, last + 1))


def _last_seq(app, meeting_id: int) -> int:
    """The meeting's last seq, read on a fresh session."""
    with app.app_context():
        return db.session.get(Meeting, meeting_id).last_seq
