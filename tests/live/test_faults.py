"""Faults survived: PostgreSQL restarted or stopped for 10 s under two live processes and the web app.

These tests run their own throwaway PostgreSQL cluster (tests/pg_cluster.py) and stop it, never the shared server.
The live processes poll the journal only once a minute here, so every event that crosses within seconds after the
outage came through the bus, which must have reconnected by itself.
"""
import asyncio
import json
import time
import urllib.request
from itertools import count

import pytest
from websockets.exceptions import ConnectionClosed

from cop import create_app
from cop.config import TestConfig
from cop.db import db
from cop.meetings.models import MeetingEvent
from tests.live.conftest import Peer, build_room, free_port, run, start_process, token_for
from tests.live.test_server import _stop
from tests.pg_cluster import Cluster

pytestmark = pytest.mark.postgres_only
_databases = count(1)


@pytest.fixture(scope="module")
def cluster():
    """One throwaway cluster for the module."""
    made = Cluster()
    yield made
    made.destroy()


@pytest.fixture
def site(cluster, make):
    """A fresh database on the cluster with the `room` data, an app on it, and two live processes sharing a bus."""
    url = cluster.create_database(f"cop_fault_{next(_databases)}")
    config = type("FaultConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    ctx = app.app_context()
    ctx.push()
    db.create_all()
    room = build_room(make)
    # Load what the scenario reads, then let the session go: no test connection is held across the outage.
    for obj in list(db.session.identity_map.values()):
        db.session.refresh(obj)
    db.session.expunge_all()
    db.session.rollback()
    ports = free_port(), free_port()
    procs = [start_process(app, port, bus="postgres", poll=60) for port in ports]
    try:
        yield app, room, ports
    finally:
        _stop(procs)
        db.session.remove()
        db.engine.dispose()
        ctx.pop()


def health(port: int) -> dict:
    """A live process's health check."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return json.loads(response.read())


async def until_listening(ports, reconnections: int = 1, timeout: float = 30) -> float:
    """Wait until every live process's bus listens again; return how long it took."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        states = [await asyncio.to_thread(health, port) for port in ports]
        if all(s["bus"] == "listening" and s["bus_reconnections"] >= reconnections for s in states):
            return time.monotonic() - began
        await asyncio.sleep(0.1)
    raise AssertionError(f"the bus did not come back: {states}")


async def settle_presence(peer: Peer, present: list[int], timeout: float = 10) -> dict:
    """Read frames until the peer's presence shows exactly these parties."""
    deadline = time.monotonic() + timeout
    while not (peer.presence and peer.presence["present"] == present):
        if time.monotonic() > deadline:
            raise AssertionError(f"presence is {peer.presence}, expected {present}")
        try:
            await peer.recv(timeout=0.2)
        except (asyncio.TimeoutError, TimeoutError):
            pass
    return peer.presence


async def command_until_acked(peer: Peer, name: str, cid: str, timeout: float = 20) -> dict:
    """What the page does: resend the same command while the answer is 'unavailable'."""
    deadline = time.monotonic() + timeout
    while True:
        answer = await peer.command(name, cid=cid)
        if answer["type"] == "ack" or answer.get("code") != "unavailable" or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(0.5)


async def join_all(app, room, ports):
    """Chair and Alice (delegation A) on the first process, Bruno (delegation B) on the second."""
    url_a, url_b = (f"ws://127.0.0.1:{port}/live" for port in ports)
    chair = await Peer.join(url_a, room.meeting.id, token_for(app, room.chair, room.meeting))
    alice = await Peer.join(url_a, room.meeting.id, token_for(app, room.a, room.meeting))
    bruno = await Peer.join(url_b, room.meeting.id, token_for(app, room.b, room.meeting))
    await chair.command("meeting.open")
    assert (await bruno.event())["seq"] == 1
    await settle_presence(bruno, sorted([room.party_a.id, room.party_b.id]))
    return chair, alice, bruno


async def crosses(sender: Peer, receiver: Peer, name: str, event: str, cid: str) -> float:
    """Send a command on one process; return how long its event took to reach a client of the other."""
    began = time.monotonic()
    answer = await command_until_acked(sender, name, cid)
    assert answer["type"] == "ack", answer
    received = await receiver.event(event)
    assert received["seq"] == answer["seq"]
    return time.monotonic() - began


def test_bus_reconnects_after_a_postgres_restart(cluster, site):
    app, room, ports = site

    async def scenario():
        chair, alice, bruno = await join_all(app, room, ports)
        away = await asyncio.to_thread(cluster.restart)
        assert away < 10
        await until_listening(ports)
        # Within seconds, events cross processes again through the bus (the poll would take a minute).
        assert await crosses(bruno, chair, "floor.request", "floor.requested", "b-1") < 5
        assert await crosses(chair, bruno, "floor.next", "floor.given", "c-1") < 5
        for peer in (chair, alice, bruno):
            await peer.close()
    run(scenario())
    assert db.session.scalar(db.select(db.func.count()).select_from(MeetingEvent)) == 3


def test_ten_second_outage_web_503_live_retry_and_presence_resync(cluster, site):
    app, room, ports = site
    web = app.test_client()

    async def scenario():
        chair, alice, bruno = await join_all(app, room, ports)
        await asyncio.to_thread(cluster.stop)
        began = time.monotonic()
        # The web app answers its own 503, in French, with Retry-After; JSON under /api/.
        page = await asyncio.to_thread(web.get, "/")
        assert page.status_code == 503 and page.headers["Retry-After"] == "10"
        assert "réessayez dans quelques secondes" in page.get_data(as_text=True)
        api = await asyncio.to_thread(web.get, "/api/v1/conferences")
        assert api.status_code == 503 and api.get_json()["error"]["status"] == 503
        assert (await asyncio.to_thread(web.get, "/healthz")).status_code == 503
        # A live command is refused as "unavailable" (nothing recorded); a newcomer is told to come back.
        refused = await bruno.command("floor.request", cid="b-1")
        assert (refused["type"], refused["code"]) == ("error", "unavailable")
        with pytest.raises(ConnectionClosed):
            late = await Peer.join(f"ws://127.0.0.1:{ports[1]}/live", room.meeting.id)
            assert late.first["code"] == "unavailable"
            await late.recv()
        # Presence changes during the outage: Alice leaves the first process.
        await alice.close()
        assert all(health(port)["bus"] == "down" for port in ports)
        await asyncio.sleep(max(0.0, 10 - (time.monotonic() - began)))
        await asyncio.to_thread(cluster.start)
        await until_listening(ports)
        # Bruno's page resends the same command: applied once, and it crosses to the chair through the bus.
        assert await crosses(bruno, chair, "floor.request", "floor.requested", "b-1") < 5
        # Presence is exchanged again without restarting anything: delegation A is gone everywhere.
        await settle_presence(bruno, [room.party_b.id], timeout=5)
        late = await Peer.join(f"ws://127.0.0.1:{ports[1]}/live", room.meeting.id, since=0)
        assert late.first["type"] == "welcome"
        assert [(await late.event())["seq"] for _ in range(2)] == [1, 2]
        for peer in (chair, bruno, late):
            await peer.close()
    run(scenario())
    assert web.get("/").status_code == 200
    events = db.session.scalars(db.select(MeetingEvent).order_by(MeetingEvent.seq)).all()
    assert [(e.seq, e.name, e.command_id) for e in events][1:] == [(2, "floor.requested", "b-1")]
