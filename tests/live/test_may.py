"""The reader's `may` in the live protocol: the rulebook's answers beside the shared snapshot, updated per client."""
import asyncio

from cop.rulebook.live import as_json, may_for
from tests.live.conftest import Peer, run, token_for


def test_each_connection_gets_its_own_may_and_it_follows_the_meeting_state(live, room):
    seen = {}

    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        alice = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.a, room.meeting))
        citizen = await Peer.join(live.url, room.meeting.id)
        assert chair.first["type"] == "snapshot" and "may" not in chair.first["state"]
        assert chair.may["meeting_open"]["ok"] and not alice.may["meeting_open"]["ok"]
        assert alice.may["meeting_open"]["reason"] == "Seule la présidence de séance peut faire cela."
        assert alice.may["floor_request"] == {"ok": False, "reason": "La séance n’est pas encore ouverte."}
        assert not citizen.may["floor_request"]["ok"]
        assert (await chair.command("meeting.open"))["type"] == "ack"
        await alice.event("meeting.opened")
        await asyncio.sleep(0.2)
        await _settle(alice)
        await _settle(chair)
        assert alice.may["floor_request"] == {"ok": True, "reason": None}
        assert chair.may["meeting_suspend"]["ok"] and not chair.may["meeting_open"]["ok"]
        assert not alice.may["meeting_suspend"]["ok"]
        seen["alice"] = alice.may
        for peer in (chair, alice, citizen):
            await peer.close()
    run(scenario())
    with live.app.test_request_context():
        assert seen["alice"] == _expected_after_open(live.app, room)


async def _settle(peer: Peer) -> None:
    """Read what is on the wire for a moment (may frames are kept in peer.may)."""
    try:
        while True:
            await peer.recv(timeout=0.2)
    except (asyncio.TimeoutError, TimeoutError):
        pass


def _expected_after_open(app, room):
    """The rulebook's answers for Alice once the meeting is open, read afresh from the database."""
    from cop.auth.models import User
    from cop.db import db
    from cop.meetings.models import Meeting

    meeting = db.session.get(Meeting, room.meeting.id, populate_existing=True)
    assert meeting.state == "open"
    return as_json(may_for(db.session.get(User, room.a.id), meeting))
