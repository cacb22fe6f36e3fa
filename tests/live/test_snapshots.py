"""Joining clients share one snapshot per meeting and seq, and a snapshot stays small whatever the journal holds."""
import asyncio
import json

from sqlalchemy import insert
from websockets.asyncio.client import connect

from cop.db import db, utcnow
from cop.live import work
from cop.meetings.models import AgendaItem, MeetingEvent
from cop.negotiation.texts.models import Amendment
from cop.negotiation.texts.operations import create_draft
from tests.live.conftest import ORIGIN, Peer, run, token_for


def test_concurrent_joins_share_one_snapshot_until_the_meeting_changes(live, room, monkeypatch):
    real, builds = work.snapshot, []

    def counting(meeting):
        builds.append(meeting.last_seq)
        return real(meeting)

    monkeypatch.setattr(work, "snapshot", counting)

    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        await chair.command("meeting.open")
        crowd = await asyncio.gather(*(Peer.join(live.url, room.meeting.id) for _ in range(25)))
        assert {peer.first["seq"] for peer in crowd} == {1}
        assert len({json.dumps(peer.first["state"], sort_keys=True) for peer in crowd}) == 1
        assert builds == [0, 1]  # the chair's join, then one for the 25
        await chair.command("item.open", {"item_id": room.items[0]})
        late = await Peer.join(live.url, room.meeting.id)
        assert late.first["seq"] == 2 and late.first["state"]["current_item_id"] == room.items[0]
        assert builds == [0, 1, 2]
        for peer in (chair, late, *crowd):
            await peer.close()
    run(scenario())


def test_a_filled_journal_leaves_the_anonymous_snapshot_small(live, room):
    """An attacker's 1,000 amendments of 9 KB and 2,000 journal entries: a joining citizen still gets a small frame."""
    item = db.session.get(AgendaItem, room.items[0])
    draft = create_draft(room.chair, room.meeting, item, "Projet", "Paragraphe un.\n\nParagraphe deux.", utcnow())
    db.session.flush()
    paragraph = draft.live_paragraphs[0]
    long_text = "Amendement hostile. " * 450  # 9,000 characters
    db.session.execute(insert(Amendment), [
        {"draft_id": draft.id, "number": n, "paragraph_id": paragraph.id, "party_id": room.party_a.id,
         "author_id": room.a.id, "kind": "replace", "text": long_text, "explanation": long_text,
         "state": "tabled" if n % 2 else "withdrawn", "paragraph_version": 1} for n in range(1, 1001)])
    db.session.execute(insert(MeetingEvent), [
        {"meeting_id": room.meeting.id, "seq": n, "name": "amendment.tabled", "data": {"text": long_text}}
        for n in range(1, 2001)])
    room.meeting.last_seq = 2000
    db.session.commit()

    async def scenario():
        ws = await connect(live.url, origin=ORIGIN)
        await ws.send(json.dumps({"type": "hello", "meeting": room.meeting.id, "since": None}))
        raw = await asyncio.wait_for(ws.recv(), 10)
        await ws.close()
        return raw

    raw = run(scenario())
    frame = json.loads(raw)
    negotiation = frame["state"]["negotiation"]
    assert frame["type"] == "snapshot" and frame["seq"] == 2000
    assert len(raw.encode()) < 100_000, len(raw.encode())
    assert negotiation["amendment_counts"] == {"tabled": 500, "withdrawn": 500}
    shown = negotiation["amendments"]
    assert len(shown) == 50 and shown[-1]["number"] == 999 and shown[0]["text_truncated"] is True
    assert len(shown[0]["text"]) == 500
