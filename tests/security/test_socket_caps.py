"""The socket caps (sockets per account, per address) hold across live processes: each admitted socket is a row of
the shared table, counted while its process's heartbeat is fresh. An attacker spreading an account's sockets over
several processes gets no more than the cap; a killed process's sockets stop counting within the expiry."""
import asyncio
import time
from datetime import timedelta

import pytest

from cop.db import db, utcnow
from cop.live.models import LiveProcess, LiveSocket
from tests.live.conftest import Peer, free_port, run, start_process, token_for
from tests.live.test_server import _stop


def _rows(model, **filters) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**filters))


async def _refused(peer: Peer) -> bool:
    """The cap's refusal: the error frame, then the close code 4429."""
    if peer.first["type"] != "error":
        return False
    assert peer.first["code"] == "too_many_connections"
    await peer.ws.wait_closed()
    assert (peer.ws.close_code, peer.ws.close_reason) == (4429, "too_many_connections")
    return True


def test_sockets_held_in_another_process_count_until_it_expires(live, room):
    """The single-process path (SQLite in the ordinary run): sockets a process recorded count here while that
    process's heartbeat is fresh; once it is older than the expiry they no longer count and are deleted."""
    cap, expiry = (live.app.config[k] for k in ("COP_LIVE_MAX_SOCKETS_PER_ACCOUNT", "COP_LIVE_PROCESS_EXPIRY_SECONDS"))
    db.session.add(LiveProcess(id="f" * 32))
    db.session.flush()
    db.session.add_all(LiveSocket(id=f"{n:032x}", process_id="f" * 32, user_id=room.a.id, address="10.0.0.9")
                       for n in range(cap))
    db.session.commit()

    async def scenario():
        token = token_for(live.app, room.a, room.meeting)
        assert await _refused(await Peer.join(live.url, room.meeting.id, token))
        other = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        assert other.first["type"] == "snapshot"  # another account is not concerned
        await asyncio.to_thread(_age, "f" * 32, expiry + 1)
        admitted = await Peer.join(live.url, room.meeting.id, token)
        assert admitted.first["type"] == "snapshot"
        assert await asyncio.to_thread(_rows_of, live.app, room.a.id) == cap + 1
        for peer in (other, admitted):
            await peer.close()
    run(scenario())
    deadline = time.monotonic() + 10
    while _rows(LiveProcess, id="f" * 32) and time.monotonic() < deadline:  # the heartbeat forgets the dead
        time.sleep(0.2)
    assert _rows(LiveProcess, id="f" * 32) == 0 and _rows(LiveSocket, process_id="f" * 32) == 0


def _age(process_id: str, seconds: float) -> None:
    """Make a process's last heartbeat `seconds` old (what a killed process's row becomes)."""
    db.session.execute(db.update(LiveProcess).where(LiveProcess.id == process_id)
                       .values(seen_dt=utcnow() - timedelta(seconds=seconds)))
    db.session.commit()


def _processes(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(LiveProcess))


def _rows_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(LiveSocket).filter_by(user_id=user_id))


@pytest.mark.postgres_only
def test_the_caps_hold_across_two_live_processes_and_a_killed_one_stops_counting(app, room):
    expiry = 3
    ports = free_port(), free_port()
    procs = [start_process(app, port, bus="postgres", COP_LIVE_HEARTBEAT_SECONDS="0.5",
                           COP_LIVE_PROCESS_EXPIRY_SECONDS=str(expiry), COP_LIVE_MAX_SOCKETS_PER_ACCOUNT="8",
                           COP_LIVE_MAX_SOCKETS_PER_ADDRESS="12") for port in ports]
    urls = [f"ws://127.0.0.1:{port}/live" for port in ports]
    token = token_for(app, room.a, room.meeting)

    async def join(n: int, tok=token) -> Peer:
        return await Peer.join(urls[n], room.meeting.id, tok)

    async def scenario():
        mine = [await join(n % 2) for n in range(8)]  # four on each process
        assert [p.first["type"] for p in mine] == ["snapshot"] * 8
        assert await _refused(await join(0)) and await _refused(await join(1))  # the 9th, on either process
        watchers = [await join(n % 2, None) for n in range(4)]  # the address holds 12 sockets now
        assert [p.first["type"] for p in watchers] == ["snapshot"] * 4
        assert await _refused(await join(1, None))
        procs[0].kill()  # SIGKILL: its four sockets of the account (and two watchers) leave no goodbye
        killed = time.monotonic()
        admitted = None
        while admitted is None and time.monotonic() < killed + expiry + 5:
            peer = await join(1)
            if peer.first["type"] == "snapshot":
                admitted = peer
            else:
                assert await _refused(peer)
                await asyncio.sleep(0.25)
        assert admitted is not None, "the killed process's sockets stopped counting within the expiry"
        waited = time.monotonic() - killed
        more = [await join(1) for _ in range(3)]  # 4 left on the living process + 4 = the cap again
        assert [p.first["type"] for p in more] == ["snapshot"] * 3
        assert await _refused(await join(1))
        deadline = time.monotonic() + expiry + 10  # the living process's heartbeat deletes the dead one's rows
        while await asyncio.to_thread(_processes, app) > 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.25)
        assert await asyncio.to_thread(_processes, app) == 1
        for peer in [admitted, *more, *mine[1::2], *watchers[1::2]]:
            await peer.close()
        return waited

    try:
        waited = run(scenario())
    finally:
        _stop(procs)
    print(f"\nsocket caps across processes: the killed process's sockets stopped counting after {waited:.1f} s "
          f"(expiry {expiry} s, heartbeat 0.5 s)")
    assert _rows(LiveSocket) == 0 and _rows(LiveProcess) == 0  # the dead process's rows were forgotten, the rest left


def test_a_batch_of_opens_counts_the_sockets_it_admits_itself(app, make):
    """Opens written together (a storm of reconnections) still hold both caps, counting each other in the batch."""
    from cop.live import sockets as shared

    user, other = make.user(), make.user()
    db.session.commit()
    shared.register("p-batch", {"s0": (user.id, "10.0.0.1")})
    answers = shared.admit_many("p-batch", [("s1", user.id, "10.0.0.1"), ("s2", user.id, "10.0.0.2"),
                                            ("s3", other.id, "10.0.0.1"), ("s4", None, "10.0.0.1"),
                                            ("s5", None, "10.0.0.3")], per_account=2, per_address=3, expiry=60)
    assert answers == [None, shared.ACCOUNT, None, shared.ADDRESS, None]
    rows = {s.id for s in db.session.scalars(db.select(LiveSocket))}
    assert rows == {"s0", "s1", "s3", "s5"}


def test_a_process_given_up_for_dead_registers_again_and_keeps_admitting(live, room):
    """A peer's heartbeat gave this living process up (its own heartbeat was late): its row and its sockets' rows
    are gone. The next join must still be admitted — not refused "unavailable" on the missing row, as 157 joins were
    in a plenary under load — and the process's sockets must count again, the ones it already held included."""
    async def scenario():
        first = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        assert first.first["type"] == "snapshot"
        await asyncio.to_thread(_give_up_every_process)
        second = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        assert second.first["type"] == "snapshot", second.first
        watcher = await Peer.join(live.url, room.meeting.id)
        assert watcher.first["type"] == "snapshot", watcher.first
        counted = await asyncio.to_thread(_rows_of_users, live.app, [room.a.id, room.b.id])
        for peer in (first, second, watcher):
            await peer.close()
        return counted
    assert run(scenario()) == {room.a.id: 1, room.b.id: 1}
    assert _rows(LiveProcess) == 1  # registered again, once


def test_the_heartbeat_does_not_wait_behind_the_commands():
    """The heartbeat says the process is alive even while the commands' writer is busy (a long vote under load):
    queued behind it, it came later than the expiry and the peers gave the process up."""
    import threading

    from flask import current_app

    from cop.live.bus import MemoryBus
    from cop.live.server import LiveServer
    from cop.live.upkeep import heartbeats

    app = current_app._get_current_object()
    beat = app.config["COP_LIVE_HEARTBEAT_SECONDS"]
    app.config.update(COP_LIVE_HEARTBEAT_SECONDS=0.05)
    release = threading.Event()

    async def scenario():
        live = LiveServer(app, MemoryBus())
        await live.limits.start()
        await asyncio.to_thread(_age, live.limits.process_id, 30)
        blocked = live.writer.submit(release.wait, (20,))
        beating = asyncio.get_running_loop().create_task(heartbeats(live))
        try:
            deadline = time.monotonic() + 10
            while await asyncio.to_thread(_age_of, live.limits.process_id) > 20 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            # the writer is still busy, and the heartbeat got through
            refreshed = not blocked.done() and await asyncio.to_thread(_age_of, live.limits.process_id) < 20
        finally:
            beating.cancel()
            release.set()
            await blocked
            await live.limits.stop()
            live.writer.executor.shutdown()
            live.reader.shutdown()
        return refreshed
    try:
        assert run(scenario())
    finally:
        app.config.update(COP_LIVE_HEARTBEAT_SECONDS=beat)


def _give_up_every_process() -> None:
    """What a peer's heartbeat does to a process whose heartbeat is late: its row goes, and its sockets' with it."""
    db.session.execute(db.delete(LiveSocket))
    db.session.execute(db.delete(LiveProcess))
    db.session.commit()


def _age_of(process_id: str) -> float:
    """Seconds since a process's last heartbeat."""
    db.session.expire_all()
    seen = db.session.scalar(db.select(LiveProcess.seen_dt).filter_by(id=process_id))
    db.session.commit()
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=utcnow().tzinfo)
    return (utcnow() - seen).total_seconds()


def _rows_of_users(app, user_ids: list[int]) -> dict[int, int]:
    with app.app_context():
        return {u: db.session.scalar(db.select(db.func.count()).select_from(LiveSocket).filter_by(user_id=u))
                for u in user_ids}
