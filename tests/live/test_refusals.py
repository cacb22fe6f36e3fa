"""Every refusal of the live server: role, party, phase, meeting state, input, frame size, origin, token, flood."""
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from cop.db import db
from cop.live import tokens
from cop.meetings.models import Meeting, MeetingEvent
from tests.live.conftest import ORIGIN, Peer, run, token_for


def _events() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(MeetingEvent))


def test_wrong_role_other_party_and_meeting_state(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        bruno = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        observer = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.observer, room.meeting))
        refused = await alice.command("floor.request")
        assert (refused["code"], refused["message"]) == ("conflict", "La séance n’est pas encore ouverte.")
        assert (await alice.command("meeting.open"))["code"] == "forbidden"
        await chair.command("meeting.open")
        assert (await chair.command("floor.request"))["code"] == "forbidden"
        assert (await observer.command("floor.request"))["code"] == "forbidden"
        await alice.command("floor.request")
        request_id = (await bruno.event("floor.requested"))["data"]["request"]["id"]
        other = await bruno.command("floor.withdraw", {"request_id": request_id})
        assert other["code"] == "forbidden" and "autre délégation" in other["message"]
        assert (await bruno.command("floor.give", {"request_id": request_id}))["code"] == "forbidden"
        assert (await alice.command("floor.request"))["code"] == "conflict"
        assert (await chair.command("floor.give", {"request_id": 99999}))["code"] == "not_found"
        assert (await chair.command("floor.give", {"request_id": "1"}))["code"] == "invalid"
        assert (await chair.command("item.open", {"item_id": 99999}))["code"] == "not_found"
        assert (await chair.command("timer.stop"))["code"] == "conflict"
        assert (await chair.command("floor.invite_observer", {"user_id": room.a.id}))["code"] == "not_found"
        assert (await chair.command("meeting.resume"))["code"] == "conflict"
        await chair.command("meeting.close")
        assert (await chair.command("meeting.open"))["code"] == "conflict"
        assert (await alice.command("floor.request"))["code"] == "conflict"
        for peer in (chair, alice, bruno, observer):
            await peer.close()
    run(scenario())
    assert _events() == 3  # opened, requested, closed: no refusal wrote anything


def test_wrong_phase(live, room):
    room.conf.phase = "call_for_commitments"
    db.session.commit()

    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        refused = await chair.command("meeting.open")
        assert refused["code"] == "wrong_phase" and "Appel à engagements" in refused["message"]
        await chair.close()
    run(scenario())
    assert _events() == 0


def test_malformed_and_unknown_input(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        await chair.ws.send("{not json")
        assert (await chair.recv())["code"] == "bad_request"
        await chair.ws.send(json.dumps([1, 2]))
        assert (await chair.recv())["code"] == "bad_request"
        assert (await chair.command("meeting.explode"))["code"] == "unknown_command"
        await chair.ws.send(json.dumps({"type": "command", "id": "x", "name": "meeting.open", "args": [1]}))
        assert (await chair.recv())["code"] == "invalid"
        await chair.ws.send(json.dumps({"type": "command", "id": "y" * 65, "name": "meeting.open"}))
        assert (await chair.recv())["code"] == "invalid"
        await chair.close()
    run(scenario())
    assert _events() == 0


def test_bad_hello_is_closed(live, room):
    async def scenario():
        async with connect(live.url, origin=ORIGIN) as ws:
            await ws.send(json.dumps({"type": "hello", "meeting": "1"}))
            assert json.loads(await ws.recv())["code"] == "bad_request"
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 4400
        peer = await Peer.join(live.url, 987654)
        assert peer.first["code"] == "not_found"
        await peer.close()
    run(scenario())


def test_oversized_frame_closes_the_connection(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        await chair.ws.send(json.dumps({"type": "command", "id": "big", "name": "meeting.open",
                                        "args": {"pad": "x" * 20000}}))
        with pytest.raises(ConnectionClosed):
            while True:
                await chair.recv()
        assert chair.ws.close_code == 1009
    run(scenario())
    assert _events() == 0


def test_foreign_origin_is_refused_before_the_handshake(live, room):
    async def scenario():
        with pytest.raises(InvalidStatus) as info:
            await connect(live.url, origin="https://evil.example")
        assert info.value.response.status_code == 403
    run(scenario())


@pytest.mark.parametrize("case", ["expired", "tampered", "other_meeting", "not_a_string"])
def test_bad_tokens(live, room, case, monkeypatch):
    other = Meeting(conference_id=room.conf.id, kind="informal", title="Autre", chair_id=room.chair.id,
                    starts_dt=room.meeting.starts_dt)
    db.session.add(other)
    db.session.commit()
    token = token_for(live.app, room.a, room.meeting)
    expected = {"expired": "token_expired", "tampered": "bad_token", "other_meeting": "wrong_meeting",
                "not_a_string": "bad_token"}[case]
    if case == "expired":
        live.app.config["COP_LIVE_TOKEN_TTL"] = -1
    elif case == "tampered":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    elif case == "other_meeting":
        token = tokens.issue(live.app.config["SECRET_KEY"], room.a.id, other.id, room.a.session_nonce)
    else:
        token = {"u": room.a.id}

    async def scenario():
        peer = await Peer.join(live.url, room.meeting.id, token)
        assert peer.first["type"] == "error" and peer.first["code"] == expected
        with pytest.raises(ConnectionClosed):
            await peer.recv()
        assert peer.ws.close_code == 4401
    try:
        run(scenario())
    finally:
        live.app.config["COP_LIVE_TOKEN_TTL"] = 60


def test_closed_meeting_admits_only_participants(live, room):
    room.meeting.is_public = False
    db.session.commit()

    async def scenario():
        citizen = await Peer.join(live.url, room.meeting.id)
        assert citizen.first["code"] == "forbidden"
        await citizen.close()
        outsider = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.outsider, room.meeting))
        assert outsider.first["code"] == "forbidden"
        await outsider.close()
        observer = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.observer, room.meeting))
        assert observer.first["code"] == "forbidden"
        await observer.close()
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        assert alice.first["type"] == "snapshot"
        await alice.close()
    run(scenario())


def test_watch_only_client_cannot_command(live, room):
    async def scenario():
        citizen = await Peer.join(live.url, room.meeting.id)
        refused = await citizen.command("meeting.open")
        assert refused["code"] == "read_only"
        await citizen.close()
    run(scenario())
    assert _events() == 0


def test_flooding_client_is_throttled_then_closed(live, room):
    live.app.config.update(COP_LIVE_COMMAND_RATE=1, COP_LIVE_COMMAND_BURST=3)

    async def scenario():
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        for n in range(40):
            await alice.ws.send(json.dumps({"type": "command", "id": f"f{n}", "name": "floor.request"}))
        codes = []
        with pytest.raises(ConnectionClosed):
            while True:
                codes.append((await alice.recv())["code"])
        assert "throttled" in codes and codes.count("conflict") <= 4
        assert alice.ws.close_code == 1008 and alice.ws.close_reason == "flood"
    run(scenario())


def test_disabled_account_is_disconnected(live, room):
    async def scenario():
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        bruno = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        room.a.is_disabled = True
        db.session.commit()
        with pytest.raises(ConnectionClosed):
            await alice.recv(timeout=5)
        assert (alice.ws.close_code, alice.ws.close_reason) == (4403, "account_disabled")
        assert bruno.ws.state.name == "OPEN"
        await bruno.close()
        again = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        assert again.first["code"] == "forbidden"
        await again.close()
    run(scenario())
