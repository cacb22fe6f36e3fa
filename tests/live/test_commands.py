"""Every live command, through a real server, seen by every client in the same order."""
from cop.db import db
from cop.meetings.models import FloorRequest, Meeting, MeetingEvent
from tests.live.conftest import Peer, run, token_for


def test_snapshot_tells_who_you_are(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        citizen = await Peer.join(live.url, room.meeting.id)
        assert chair.first["type"] == "snapshot" and chair.first["seq"] == 0
        assert chair.first["you"]["can_chair"] is True and chair.first["you"]["watch_only"] is False
        assert citizen.first["you"] == {"user_id": None, "name": None, "party_id": None, "party": None,
                                        "can_chair": False, "can_request": False, "watch_only": True}
        state = citizen.first["state"]
        assert [i["title"] for i in state["items"]][0] == "Adoption de l’ordre du jour"
        assert state["meeting"]["state"] == "scheduled" and len(state["parties"]) == 3
        await chair.close()
        await citizen.close()
    run(scenario())


def test_a_whole_sitting(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        arnaud = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a2, room.meeting))
        bruno = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting))
        citizen = await Peer.join(live.url, room.meeting.id)
        assert (await chair.command("meeting.open"))["seq"] == 1
        assert (await chair.command("item.open", {"item_id": room.items[1]}))["type"] == "ack"
        assert (await chair.command("item.next"))["seq"] == 3
        ack = await alice.command("floor.request")
        bruno_ack = await bruno.command("floor.request")
        order = await arnaud.command("floor.request", {"point_of_order": True})
        assert (ack["seq"], bruno_ack["seq"], order["seq"]) == (4, 5, 6)
        requested = [await citizen.event("floor.requested") for _ in range(3)]
        assert [e["data"]["request"]["kind"] for e in requested] == ["normal", "normal", "point_of_order"]
        assert requested[0]["actor"]["party"] == "CA du Pays Voironnais"
        # The point of order goes to the top of the list.
        given = await chair.command("floor.next")
        event = await citizen.event("floor.given")
        assert event["seq"] == given["seq"] and event["data"]["request"]["kind"] == "point_of_order"
        assert event["data"]["timer"]["running"] is True and event["data"]["timer"]["limit"] == 120
        assert (await chair.command("timer.stop"))["type"] == "ack"
        stopped = await citizen.event("timer.stopped")
        assert stopped["data"]["timer"]["running"] is False
        assert (await chair.command("timer.start"))["type"] == "ack"
        # Alice withdraws; the chair gives the floor to Bruno, then ends his turn.
        alice_request = requested[0]["data"]["request"]["id"]
        bruno_request = requested[1]["data"]["request"]["id"]
        assert (await alice.command("floor.withdraw", {"request_id": alice_request}))["type"] == "ack"
        await chair.command("floor.give", {"request_id": bruno_request})
        given_b = await citizen.event("floor.given")
        assert given_b["data"]["ended"]["party_id"] == room.party_a.id
        assert str(room.party_a.id) in given_b["data"]["speaking_time"]
        await chair.command("floor.invite_observer", {"user_id": room.observer.id})
        invited = await citizen.event("floor.invited")
        assert invited["data"]["request"]["user"] == "Olga Observatrice"
        await chair.command("floor.remove", {"request_id": invited["data"]["request"]["id"]})
        ended = await chair.command("floor.next")
        assert (await citizen.event("floor.ended"))["seq"] == ended["seq"]
        await chair.command("meeting.suspend")
        await chair.command("meeting.resume")
        closing = await chair.command("meeting.close")
        assert closing["seq"] == 17
        for peer in (chair, alice, arnaud, bruno, citizen):
            await peer.close()
    run(scenario())
    db.session.expire_all()
    meeting = db.session.get(Meeting, room.meeting.id)
    assert meeting.state == "closed" and meeting.last_seq == 17
    assert [e.seq for e in db.session.scalars(db.select(MeetingEvent).order_by(MeetingEvent.seq))] == list(range(1, 18))
    states = sorted(r.state for r in db.session.scalars(db.select(FloorRequest)))
    assert states == ["done", "done", "removed", "withdrawn"]


def test_every_client_sees_the_same_order(live, room):
    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        watchers = [await Peer.join(live.url, room.meeting.id) for _ in range(5)]
        await chair.command("meeting.open")
        for item in room.items:
            await chair.command("item.open", {"item_id": item})
        for watcher in watchers:
            got = [(await watcher.event())["seq"] for _ in range(4)]
            assert got == [1, 2, 3, 4]
            await watcher.close()
        await chair.close()
    run(scenario())
