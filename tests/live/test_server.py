"""The live process: health check, presence and quorum, the web door's events, SIGTERM, two processes on one bus."""
import asyncio
import json
import signal
import subprocess
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed

from cop.db import db
from cop.meetings.services import run_command
from cop.live.wire import frames_of
from tests.live.conftest import Peer, free_port, run, start_process, token_for


def test_health_check_and_unknown_path(live):
    with urllib.request.urlopen(f"http://127.0.0.1:{live.port}/healthz", timeout=5) as response:
        assert response.status == 200 and b'"status": "ok"' in response.read()
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"http://127.0.0.1:{live.port}/elsewhere", timeout=5)
    assert info.value.code == 404
    info.value.close()


async def _drain_presence(peer: Peer) -> None:
    """Read presence frames for 0.2 s (they are kept in peer.presence)."""
    try:
        await peer.recv(timeout=0.2)
    except (asyncio.TimeoutError, TimeoutError):
        pass


async def _drain(peer: Peer) -> list[dict]:
    """Every frame that arrives until the line stays quiet for 0.3 s."""
    frames = []
    while True:
        try:
            frames.extend(frames_of(await asyncio.wait_for(peer.ws.recv(), 0.3)))
        except (asyncio.TimeoutError, TimeoutError):
            return frames


def test_presence_and_quorum(live, room):
    async def scenario():
        citizen = await Peer.join(live.url, room.meeting.id)
        presence = json.loads(await citizen.ws.recv())
        assert (presence["type"], presence["count"], presence["required"], presence["quorum"]) == (
            "presence", 0, 2, False)
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        await asyncio.sleep(0.1)
        arnaud = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a2, room.meeting))
        bruno = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        last = (await _drain(citizen))[-1]
        assert last["present"] == sorted([room.party_a.id, room.party_b.id])
        assert (last["count"], last["accredited"], last["required"], last["quorum"]) == (2, 3, 2, True)
        # Alice leaves, Arnaud keeps the delegation present; Bruno leaves, the quorum is lost.
        await alice.close()
        await bruno.close()
        frames = await _drain(citizen)
        assert frames[-1]["present"] == [room.party_a.id] and frames[-1]["quorum"] is False
        await arnaud.close()
        await citizen.close()
    run(scenario())


def test_events_from_the_web_door_reach_the_room(live, room):
    async def scenario():
        watcher = await Peer.join(live.url, room.meeting.id)
        await asyncio.get_running_loop().run_in_executor(None, _open_from_web, live.app, room.chair.id, room.meeting.id)
        event = await watcher.event()
        assert (event["seq"], event["name"]) == (1, "meeting.opened")
        await watcher.close()
    run(scenario())


def _open_from_web(app, chair_id: int, meeting_id: int) -> None:
    """What the no-JavaScript form does: the domain function, then commit."""
    from cop.auth.models import User

    with app.app_context():
        run_command(meeting_id, db.session.get(User, chair_id), "meeting.open", {})
        db.session.commit()


def test_sigterm_tells_clients_to_reconnect(app, room):
    port = free_port()
    proc = start_process(app, port)
    try:
        async def scenario():
            peer = await Peer.join(f"ws://127.0.0.1:{port}/live", room.meeting.id)
            assert peer.first["type"] == "snapshot"
            proc.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed):
                await peer.recv()
            assert (peer.ws.close_code, peer.ws.close_reason) == (1012, "reconnect")
        run(scenario())
        assert proc.wait(10) == 0
    finally:
        proc.kill()


@pytest.mark.postgres_only
def test_two_live_processes_serve_one_meeting(app, room):
    ports = free_port(), free_port()
    procs = []
    try:
        procs.extend(start_process(app, port, bus="postgres") for port in ports)

        async def scenario():
            url_a, url_b = (f"ws://127.0.0.1:{port}/live" for port in ports)
            chair = await Peer.join(url_a, room.meeting.id, token_for(app, room.chair, room.meeting))
            bruno = await Peer.join(url_b, room.meeting.id, token_for(app, room.b, room.meeting))
            alice = await Peer.join(url_a, room.meeting.id, token_for(app, room.a, room.meeting))
            await chair.command("meeting.open")
            assert (await bruno.event())["seq"] == 1
            await bruno.command("floor.request")
            requested = await chair.event("floor.requested")
            assert requested["seq"] == 2 and requested["actor"]["user_id"] == room.b.id
            await alice.command("floor.request")
            await chair.command("floor.next")
            assert [(await bruno.event())["seq"] for _ in range(3)] == [2, 3, 4]
            # Presence is shared: a delegation connected to the other process counts.
            both = sorted([room.party_a.id, room.party_b.id])
            for _ in range(30):  # each process tells the others at most twice a second
                if bruno.presence and bruno.presence["present"] == both:
                    break
                await _drain_presence(bruno)
            assert bruno.presence["present"] == both and bruno.presence["quorum"] is True
            for peer in (chair, bruno, alice):
                await peer.close()
        run(scenario())
    finally:
        _stop(procs)


def _stop(procs) -> None:
    """SIGTERM every live process, then kill those that have not left after 10 s."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
