"""One journal for commands and for the gavel's timer: the same lock, a gapless seq, the same hooks (the bus)."""
import json

import psycopg
import pytest
from sqlalchemy.engine import make_url

from cop.db import db
from cop.live.bus import CHANNEL
from cop.meetings import registry
from cop.meetings.models import Meeting, MeetingEvent
from cop.negotiation.decisions.timers import settle_due, settle_window
from tests.negotiation.conftest import refused
from tests.negotiation.test_consensus import clean, expire, propose


@pytest.fixture
def journaled():
    """The (meeting, seq) of every event journaled while the test runs, seen from inside its transaction."""
    seen = []
    registry.on_journal("test", lambda session, event: seen.append((event.meeting_id, event.seq)))
    yield seen
    del registry.JOURNAL_HOOKS["test"]


def test_commands_and_settlements_pass_through_the_same_journal(neg, journaled):
    clean(neg)
    window = propose(neg)
    expire(window["id"])
    settled = settle_due(neg.meeting.id)
    assert [e.name for e in settled] == ["decision.adopted"] and settled[0].actor_id is None
    rows = db.session.execute(db.select(MeetingEvent.meeting_id, MeetingEvent.seq).order_by(MeetingEvent.seq)).all()
    # Seq 1 is the fixture's roll call, journaled before this test listened.
    assert [tuple(row) for row in rows] == [(neg.meeting.id, seq) for seq in (1, 2, 3, 4)]
    assert journaled == [(neg.meeting.id, seq) for seq in (2, 3, 4)]
    assert db.session.get(Meeting, neg.meeting.id).last_seq == 4


def test_settling_what_is_already_settled_takes_no_seq(neg, journaled):
    clean(neg)
    window = propose(neg)
    expire(window["id"])
    settle_due()
    assert settle_window(neg.meeting.id, window["id"]) is None
    db.session.commit()
    assert db.session.get(Meeting, neg.meeting.id).last_seq == 4 and len(journaled) == 3


def test_a_refused_command_leaves_the_journal_as_it_was(neg, journaled):
    before = db.session.get(Meeting, neg.meeting.id).last_seq
    assert refused(neg.u.lyon, neg.meeting, "decision.propose", item_id=neg.item.id).status == 403
    assert db.session.get(Meeting, neg.meeting.id).last_seq == before and journaled == []


@pytest.mark.postgres_only
def test_the_web_door_wakes_the_live_processes_on_commit_only(neg, app):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        refused(neg.u.lyon, neg.meeting, "decision.propose", item_id=neg.item.id)
        clean(neg)
        notes = [json.loads(note.payload) for note in listener.notifies(timeout=2, stop_after=2)]
    assert [(n["m"], n["s"]) for n in notes] == [(neg.meeting.id, 2)]  # seq 1: the fixture's roll call


@pytest.mark.postgres_only
def test_a_hook_built_once_and_a_hook_built_per_event_both_run_with_the_event(neg, app):
    from sqlalchemy import String, bindparam, func

    from cop.meetings import journal

    once = func.pg_notify("cop_test_hooks", bindparam("test_hooks_payload", type_=String))
    registry.on_journal("test_once", lambda session, event: (once, {"test_hooks_payload": f"once {event.seq}"}))
    registry.on_journal("test_fresh", lambda session, event: func.pg_notify("cop_test_hooks", f"fresh {event.seq}"))
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    try:
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as listener:
            listener.execute("LISTEN cop_test_hooks")
            clean(neg)
            propose(neg)
            notes = sorted(note.payload for note in listener.notifies(timeout=2, stop_after=4))
        # Only statements of hooks all built once are kept (a hook's fresh expression would pin one per event).
        kept = [notices for _, notices in journal._APPEND_QUERIES.values() if any(n is once for n in notices)]
    finally:
        del registry.JOURNAL_HOOKS["test_once"], registry.JOURNAL_HOOKS["test_fresh"]
    assert notes == ["fresh 2", "fresh 3", "once 2", "once 3"]  # seq 1: the fixture's roll call
    assert kept == []
