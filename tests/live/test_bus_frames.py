"""The bus hands a committed event's frame to the other live processes: they deliver it without reading the table,
and read the table when the frame did not fit in the notification."""
import asyncio
import json

import psycopg
import pytest
from sqlalchemy.engine import make_url

from cop.auth.models import User
from cop.db import db
from cop.live import bus, work
from cop.live.bus import CHANNEL, FRAME_PAYLOAD_MAX, payload_of
from cop.meetings.services import run_command
from cop.meetings.state import events_after
from tests.live.conftest import Peer, run

FRAME = {"type": "event", "seq": 3, "name": "timer.started", "actor": None, "at": "2027-03-01T09:00:00+00:00",
         "data": {"note": "Séance"}}


def test_a_notification_carries_the_frame_only_when_it_fits():
    assert json.loads(payload_of(7, 3, "abc", FRAME)) == {"m": 7, "s": 3, "o": "abc", "f": FRAME}
    assert json.loads(payload_of(7, 3, "abc")) == {"m": 7, "s": 3, "o": "abc"}
    # Counted in bytes, as PostgreSQL counts: 3,600 « é » are 3,600 characters but 7,200 bytes.
    wide = dict(FRAME, data={"note": "é" * 3600})
    assert json.loads(payload_of(7, 3, "abc", wide)) == {"m": 7, "s": 3, "o": "abc"}
    # Around the limit: carried up to it (byte by byte), never a notification PostgreSQL would refuse.
    payloads = [payload_of(7, 3, "abc", dict(FRAME, data={"note": "e" * size})) for size in range(6800, 7100)]
    carried = ["f" in json.loads(payload) for payload in payloads]
    assert carried[0] and not carried[-1] and carried == sorted(carried, reverse=True)
    assert all(len(payload.encode()) <= FRAME_PAYLOAD_MAX < 8000 for payload in payloads)
    assert len(payloads[carried.count(True) - 1]) == FRAME_PAYLOAD_MAX


def _from_web(app, chair_id: int, meeting_id: int, name: str) -> None:
    """A command through the web door, notifying as another process does (the test shares the server's app)."""
    with app.app_context():
        origin = app.config.pop("COP_LIVE_ORIGIN", None)
        try:
            run_command(meeting_id, db.session.get(User, chair_id), name, {})
            db.session.commit()
        finally:
            if origin is not None:
                app.config["COP_LIVE_ORIGIN"] = origin


@pytest.mark.postgres_only
def test_the_committed_frame_travels_with_its_notification(app, room):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        _from_web(app, room.chair.id, room.meeting.id, "meeting.open")
        notes = [json.loads(note.payload) for note in listener.notifies(timeout=2, stop_after=1)]
    assert [(n["m"], n["s"], n["o"]) for n in notes] == [(room.meeting.id, 1, "web")]
    assert notes[0]["f"] == json.loads(json.dumps(events_after(room.meeting.id, 0)[0]))


@pytest.mark.postgres_only
def test_another_process_delivers_the_carried_frame_without_reading_the_table(live_bus, room, monkeypatch):
    reads = []
    fetch = work.fetch_events
    monkeypatch.setattr(work, "fetch_events", lambda *args: reads.append(args) or fetch(*args))
    meeting_id = room.meeting.id

    async def scenario():
        loop = asyncio.get_running_loop()
        watcher = await Peer.join(live_bus.url, meeting_id)
        await loop.run_in_executor(None, _from_web, live_bus.app, room.chair.id, meeting_id, "meeting.open")
        event = await watcher.event()
        assert (event["seq"], event["name"], event["actor"]["user_id"]) == (1, "meeting.opened", room.chair.id)
        assert reads == []
        # A frame too long for a notification is not carried: the room reads the event from the table.
        monkeypatch.setattr(bus, "FRAME_PAYLOAD_MAX", 10)
        await loop.run_in_executor(None, _from_web, live_bus.app, room.chair.id, meeting_id, "meeting.suspend")
        event = await watcher.event()
        assert (event["seq"], event["name"]) == (2, "meeting.suspended")
        assert reads == [(meeting_id, 1, 2)]
        await watcher.close()
    run(scenario())
