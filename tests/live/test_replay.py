"""Durability: reconnect and replay, snapshots when far behind, resent commands, gapless seq under load."""
import asyncio
import json

from cop.db import db
from cop.meetings.models import FloorRequest, MeetingEvent
from tests.live.conftest import Peer, run, token_for


def test_reconnect_receives_exactly_what_was_missed(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        bruno = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        await chair.command("meeting.open")
        await chair.command("item.open", {"item_id": room.items[0]})
        assert [(await bruno.event())["seq"] for _ in range(2)] == [1, 2]
        await bruno.close()
        for item in room.items[1:]:
            await chair.command("item.open", {"item_id": item})
        await chair.command("meeting.suspend")
        back = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting), since=2)
        assert back.first == {"type": "welcome", "seq": 2, "you": back.first["you"], "may": back.first["may"]}
        assert back.first["may"]["floor_request"] == {"ok": False, "reason": "La séance est suspendue."}
        missed = [await back.event() for _ in range(3)]
        assert [(e["seq"], e["name"]) for e in missed] == [(3, "item.opened"), (4, "item.opened"),
                                                            (5, "meeting.suspended")]
        await chair.command("meeting.resume")
        assert (await back.event())["seq"] == 6
        up_to_date = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting), since=6)
        assert up_to_date.first["type"] == "welcome"
        await chair.command("meeting.suspend")
        assert (await up_to_date.event())["seq"] == 7
        for peer in (chair, back, up_to_date):
            await peer.close()
    run(scenario())


def test_far_behind_or_unknown_since_gets_a_snapshot(live, room):
    live.app.config["COP_LIVE_REPLAY_MAX"] = 2

    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        await chair.command("meeting.open")
        for item in room.items:
            await chair.command("item.open", {"item_id": item})
        far = await Peer.join(live.url, room.meeting.id, since=1)
        assert far.first["type"] == "snapshot" and far.first["seq"] == 4
        assert far.first["state"]["current_item_id"] == room.items[2]
        future = await Peer.join(live.url, room.meeting.id, since=99)
        assert future.first["type"] == "snapshot" and future.first["seq"] == 4
        near = await Peer.join(live.url, room.meeting.id, since=2)
        assert near.first["type"] == "welcome" and [(await near.event())["seq"] for _ in range(2)] == [3, 4]
        for peer in (chair, far, future, near):
            await peer.close()
    try:
        run(scenario())
    finally:
        live.app.config["COP_LIVE_REPLAY_MAX"] = 500


def test_resent_command_is_applied_once(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        await chair.command("meeting.open")
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        first = await alice.command("floor.request", cid="alice-1")
        await alice.close()
        # The page reconnects and resends the command it had no ack for.
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting), since=1)
        again = await alice.command("floor.request", cid="alice-1")
        assert again == {"type": "ack", "id": "alice-1", "seq": first["seq"]}
        assert [e["seq"] for e in alice.events] == [2]  # the replayed event, not a second one
        # Another user may reuse the same command id: ids are per actor.
        bruno = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        assert (await bruno.command("floor.request", cid="alice-1"))["seq"] == 3
        for peer in (chair, alice, bruno):
            await peer.close()
    run(scenario())
    assert db.session.scalar(db.select(db.func.count()).select_from(FloorRequest)) == 2


def test_seq_is_gapless_under_concurrent_commands(live, room, make):
    delegates = [make.member(room.conf, "delegate", make.party(room.conf)) for _ in range(12)]
    db.session.commit()

    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        await chair.command("meeting.open")
        watcher = await Peer.join(live.url, room.meeting.id)
        peers = [await Peer.join(live.url, room.meeting.id, token_for(live.app, d, room.meeting)) for d in delegates]
        for peer in peers:  # everyone at once, twice (the second is refused: one waiting request per party)
            await peer.ws.send(json.dumps({"type": "command", "id": "r1", "name": "floor.request"}))
            await peer.ws.send(json.dumps({"type": "command", "id": "r2", "name": "floor.request"}))
        answers = await asyncio.gather(*(peer.command("floor.request", cid="r1") for peer in peers))
        seen = [(await watcher.event())["seq"] for _ in range(len(peers))]
        assert seen == list(range(2, 2 + len(peers)))
        assert sorted(a["seq"] for a in answers) == seen
        for peer in [chair, watcher, *peers]:
            await peer.close()
    run(scenario())
    db.session.expire_all()
    seqs = db.session.scalars(db.select(MeetingEvent.seq).order_by(MeetingEvent.seq)).all()
    assert seqs == list(range(1, 14))
