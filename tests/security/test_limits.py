"""Limits that hold across connections, doors and processes: sockets per account, commands per account, text sizes,
hostile values on the live side."""
import json

from cop.db import db
from cop.meetings.models import MeetingEvent
from cop.negotiation.limits import MAX_EXPLANATION, MAX_PARAGRAPH
from cop.negotiation.texts.models import Amendment
from tests.live.conftest import Peer, run, token_for
from tests.negotiation.conftest import build


def _count(model, **filters) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**filters))


def test_one_account_cannot_open_twenty_sockets(live, room):
    cap = live.app.config["COP_LIVE_MAX_SOCKETS_PER_ACCOUNT"]

    async def scenario():
        token = token_for(live.app, room.a, room.meeting)
        peers = [await Peer.join(live.url, room.meeting.id, token) for _ in range(20)]
        admitted = [p for p in peers if p.first["type"] == "snapshot"]
        refused = [p for p in peers if p.first["type"] == "error"]
        assert len(admitted) == cap and {p.first["code"] for p in refused} == {"too_many_connections"}
        await refused[0].ws.wait_closed()
        assert refused[0].ws.close_code == 4429
        await admitted[0].close()  # a closed socket frees its place
        again = await Peer.join(live.url, room.meeting.id, token)
        assert again.first["type"] == "snapshot"
        for peer in admitted[1:] + [again]:
            await peer.close()
    run(scenario())


def test_one_address_is_capped_too(live, room):
    live.app.config["COP_LIVE_MAX_SOCKETS_PER_ADDRESS"] = 3
    try:
        async def scenario():
            peers = [await Peer.join(live.url, room.meeting.id) for _ in range(4)]
            assert [p.first["type"] for p in peers] == ["snapshot"] * 3 + ["error"]
            for peer in peers:
                await peer.close()
        run(scenario())
    finally:
        live.app.config["COP_LIVE_MAX_SOCKETS_PER_ADDRESS"] = 200


def test_sockets_of_one_account_share_one_command_budget(live, room):
    live.app.config.update(COP_LIVE_COMMAND_RATE=0.5, COP_LIVE_COMMAND_BURST=4)
    try:
        async def scenario():
            token = token_for(live.app, room.a, room.meeting)
            peers = [await Peer.join(live.url, room.meeting.id, token) for _ in range(4)]
            answers = []
            for peer in peers:
                for _ in range(3):
                    answers.append(await peer.command("floor.request"))
            throttled = [a for a in answers if a.get("code") == "throttled"]
            assert len(throttled) >= 12 - 4 - 1  # four sockets, one budget of four (plus what half a second adds)
            for peer in peers:
                await peer.close()
        run(scenario())
    finally:
        live.app.config.update(COP_LIVE_COMMAND_RATE=50, COP_LIVE_COMMAND_BURST=200)


def test_the_per_minute_quota_holds_across_sockets_and_the_web_door(live, room, client, auth):
    live.app.config["COP_ACCOUNT_COMMANDS_PER_MINUTE"] = 6
    try:
        async def scenario():
            chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
            await chair.command("meeting.open")
            peers = [await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
                     for _ in range(3)]
            codes, last = [], None
            for n in range(9):
                peer = peers[n % 3]
                if n % 2 == 0:
                    answer = await peer.command("floor.request")
                    if answer["type"] == "ack":
                        last = (await chair.event("floor.requested"))["data"]["request"]["id"]
                else:
                    answer = await peer.command("floor.withdraw", {"request_id": last})
                codes.append(answer.get("code", "ack"))
            assert codes[:6] == ["ack"] * 6 and set(codes[6:]) == {"throttled"}
            for peer in peers + [chair]:
                await peer.close()
        run(scenario())
        auth.login(room.a.email)
        response = client.post(f"/meetings/{room.meeting.id}/command", data={"name": "floor.request"})
        assert response.status_code == 303  # refused with a flash, nothing written
        assert _count(MeetingEvent, actor_id=room.a.id) == 6
    finally:
        live.app.config["COP_ACCOUNT_COMMANDS_PER_MINUTE"] = 100_000


def test_texts_are_capped_at_what_a_negotiator_writes_on_both_doors(live, make, client, auth):
    neg = build(make)
    long_text, long_reason = "Les parties s’engagent. " * 400, "Parce que. " * 300
    assert len(long_text) > MAX_PARAGRAPH and len(long_reason) > MAX_EXPLANATION

    async def scenario():
        lyon = await Peer.join(live.url, neg.meeting.id, token_for(live.app, neg.u.lyon, neg.meeting))
        for text, explanation in ((long_text, "Court."), ("Court.", long_reason)):
            refused = await lyon.command("amendment.table", {"paragraph_id": neg.p[1], "version": 1,
                                                             "kind": "replace", "text": text,
                                                             "explanation": explanation})
            assert refused["code"] == "invalid" and "négociateur" in refused["message"]
        await lyon.close()
    run(scenario())
    auth.login(neg.u.lyon.email)
    response = client.post(f"/meetings/{neg.meeting.id}/negotiation", data={
        "name": "amendment.table", "paragraph_id": neg.p[1], "version": 1, "kind": "replace", "text": long_text})
    assert response.status_code == 303
    assert "négociateur" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _count(Amendment) == 0


def test_hostile_values_get_an_error_frame_that_does_not_invite_a_resend(live, make):
    neg = build(make)

    async def scenario():
        lyon = await Peer.join(live.url, neg.meeting.id, token_for(live.app, neg.u.lyon, neg.meeting))
        hostile = [{"paragraph_id": neg.p[1], "version": 1, "kind": "replace", "text": "a\x00b"},
                   {"paragraph_id": 10**30, "version": 1, "kind": "replace", "text": "Texte."},
                   {"paragraph_id": neg.p[1], "version": 2**40, "kind": "replace", "text": "Texte."},
                   {"paragraph_id": neg.p[1], "version": 1, "kind": "replace", "text": "\ud800"}]
        for args in hostile:
            answer = await lyon.command("amendment.table", args)
            assert answer["type"] == "error" and answer["code"] in ("invalid", "conflict", "not_found"), answer
            assert answer["code"] != "unavailable" and "réessayez" not in answer["message"].split(":")[0]
        await lyon.ws.send(json.dumps({"type": "command", "id": "x\x00", "name": "floor.request", "args": {}}))
        assert (await lyon.recv())["code"] == "invalid"
        assert (await lyon.command("floor.request"))["type"] == "ack"  # the connection still works
        await lyon.close()
    run(scenario())
    assert _count(Amendment) == 0
