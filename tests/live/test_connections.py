"""A live process pings a pooled connection only when it has been idle (cop/live/connections.py), and a command whose
connection was cut before it committed runs again on a new one: the first command after a database restart succeeds
however soon it comes."""
import uuid

import pytest
from sqlalchemy import create_engine, text

from cop.config import TestConfig
from cop.db import db
from cop.live import work
from cop.live.connections import create_live_app, ping_when_idle
from cop.meetings.models import MeetingEvent
from tests.negotiation.conftest import build, do


def _counting_pings(engine) -> list:
    pings, ping = [], engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(1)
        return ping(dbapi_connection)

    engine.dialect.do_ping = counted
    return pings


def _checkouts(engine, times: int) -> None:
    for _ in range(times):
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))


def test_only_a_connection_idle_longer_than_the_limit_is_pinged(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    recent = create_engine(url)
    ping_when_idle(recent, 3600)
    pings = _counting_pings(recent)
    _checkouts(recent, 3)
    assert pings == []
    idle = create_engine(url)
    ping_when_idle(idle, 0)
    pings = _counting_pings(idle)
    _checkouts(idle, 3)
    assert len(pings) == 3
    recent.dispose()
    idle.dispose()


def _backend_pids(engine) -> set:
    with engine.connect() as connection:
        return {connection.execute(text("SELECT pg_backend_pid()")).scalar_one()}


@pytest.mark.postgres_only
def test_a_dead_idle_connection_is_replaced_before_use(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    ping_when_idle(engine, 0)
    before = _backend_pids(engine)
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": next(iter(before))})
    after = _backend_pids(engine)
    assert after and after != before
    engine.dispose()


@pytest.fixture
def live_app(app):
    """The live process's app on the test database, its connections never pinged (only the rerun can save a
    command whose connection was cut)."""
    made = create_live_app(type("LiveTestConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "COP_LIVE_PING_IDLE_SECONDS": 3600}))
    yield made
    with made.app_context():
        db.engine.dispose()


def _cut_the_pooled_connection(live_app) -> None:
    with live_app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.rollback()
    db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    db.session.commit()


@pytest.mark.postgres_only
def test_a_command_whose_connection_was_cut_runs_again_on_a_new_one(app, live_app, make):
    neg = build(make)
    do(neg.u.lyon, neg.meeting, "floor.request")
    do(neg.u.chair, neg.meeting, "floor.next")
    meeting_id, chair_id, nonce = neg.meeting.id, neg.u.chair.id, neg.u.chair.session_nonce
    db.session.commit()
    _cut_the_pooled_connection(live_app)
    with live_app.app_context():
        frame, is_new = work.apply_command(meeting_id, chair_id, nonce, "timer.stop", {}, uuid.uuid4().hex)
    assert is_new and frame["name"] == "timer.stopped"
    # A run of commands (their shared transaction) too.
    _cut_the_pooled_connection(live_app)
    settled = []
    jobs = [(meeting_id, chair_id, nonce, name, {}, uuid.uuid4().hex, None, None)
            for name in ("timer.start", "timer.stop")]
    with live_app.app_context():
        work.apply_commands(jobs, settled.extend)
    assert [(ok, value[0]["name"]) for ok, value in settled] == [(True, "timer.started"), (True, "timer.stopped")]
    names = db.session.scalars(db.select(MeetingEvent.name).filter_by(meeting_id=meeting_id)
                               .order_by(MeetingEvent.seq)).all()
    assert names[-3:] == ["timer.stopped", "timer.started", "timer.stopped"]
