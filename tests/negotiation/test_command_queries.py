"""One live command's transaction sends a fixed, small number of statements (issue 17: on PostgreSQL each one is a
round trip the command's last watcher waits for). Run as the live server's writer runs a command: its own app
context and session, through `cop.live.work.apply_command`. Counted: the statements SQLAlchemy sends (the pool's
pre-ping and the COMMIT are not among them). On PostgreSQL the event's insert, the meeting's `last_seq` and the bus's
`pg_notify` are one statement (`cop.meetings.journal.append`): one fewer than on SQLite, where there is no NOTIFY.

Before: the resent-command check, the conference, the pace count and the membership (and its party) were five
statements; the timer's stop read the speaker twice; the speakers' list read its parties and users in two more.
"""
import uuid

import pytest

from cop.db import db
from cop.errors import Throttled
from cop.live import work
from tests.negotiation.conftest import build, do, refused
from tests.negotiation.test_snapshot_queries import counting
from tests.negotiation.test_votes import clean, open_vote

#: Statements of each command on SQLite: the user, the meeting's lock, one read of the conference, membership, party,
#: resent command and pace; then the command's own statements; the event's insert and the meeting's `last_seq` (on
#: PostgreSQL one statement with the NOTIFY: `EXPECTED - 1`; two more before, the `last_seq` and the NOTIFY).
EXPECTED = {
    # + the speaker, its update
    "timer.stop": 7,
    "timer.start": 7,
    # + the speakers' list with parties and users, the agenda (the request's item), the request's insert
    "floor.request": 8,
    # + the vote, who has voted, the ballot's insert, the vote's counter, the participation's insert
    "vote.cast": 10,
}


def statements_of(app, meeting_id: int, user, name: str, presence=None, **args) -> tuple[int, dict]:
    """One command applied as the live server applies it, and the statements it sent."""
    user_id, nonce = user.id, user.session_nonce
    db.session.commit()
    with app.app_context(), counting() as count:
        frame, is_new = work.apply_command(meeting_id, user_id, nonce, name, args, uuid.uuid4().hex, presence)
    assert is_new and frame["type"] == "event"
    return count[0], frame


def test_a_live_command_sends_a_few_statements(app, make):
    neg = build(make, decision_mode="vote")
    meeting_id = neg.meeting.id
    counted = {}
    counted["floor.request"], frame = statements_of(app, meeting_id, neg.u.lyon, "floor.request")
    assert frame["name"] == "floor.requested" and frame["actor"]["party_id"] == neg.lyon.id
    do(neg.u.chair, neg.meeting, "floor.next")
    counted["timer.stop"], frame = statements_of(app, meeting_id, neg.u.chair, "timer.stop")
    assert frame["name"] == "timer.stopped" and frame["data"]["timer"]["running"] is False
    counted["timer.start"], frame = statements_of(app, meeting_id, neg.u.chair, "timer.start")
    assert frame["name"] == "timer.started" and frame["data"]["timer"]["running"] is True
    clean(neg)
    vote = open_vote(neg)
    counted["vote.cast"], frame = statements_of(app, meeting_id, neg.u.grenoble, "vote.cast", vote_id=vote["id"],
                                                choice="yes")
    assert frame["data"] == {"vote_id": vote["id"], "party_id": neg.grenoble.id,
                             "party": "Grenoble-Alpes-Métropole", "participants": 1}
    on_postgresql = db.engine.dialect.name == "postgresql"
    assert counted == {name: count - on_postgresql for name, count in EXPECTED.items()}


def test_the_turnout_counts_every_party_once(app, make):
    """The participants a ballot reports are the count read before it plus its own; a change counts none."""
    neg = build(make, decision_mode="vote")
    clean(neg)
    vote = open_vote(neg)
    meeting_id = neg.meeting.id
    seen = [statements_of(app, meeting_id, user, "vote.cast", vote_id=vote["id"], choice="no")[1]["data"]
            ["participants"] for user in (neg.u.lyon, neg.u.annecy)]
    changed = statements_of(app, meeting_id, neg.u.lyon, "vote.change", vote_id=vote["id"], choice="yes")[1]
    seen.append(changed["data"]["participants"])
    seen.append(statements_of(app, meeting_id, neg.u.grenoble_voter, "vote.cast", vote_id=vote["id"],
                              choice="abstain")[1]["data"]["participants"])
    assert seen == [1, 2, 2, 3]


def test_a_resent_command_gets_its_event_before_the_rules_and_the_pace_answer(app, make):
    """The resent check, now read with the pace count under the lock, still answers first: a resent command returns
    its event even once the account is over its pace and the timer is in the other state; a new one is refused."""
    neg = build(make)
    do(neg.u.lyon, neg.meeting, "floor.request")
    do(neg.u.chair, neg.meeting, "floor.next")
    meeting_id, chair_id, nonce = neg.meeting.id, neg.u.chair.id, neg.u.chair.session_nonce
    db.session.commit()
    with app.app_context():
        first, is_new = work.apply_command(meeting_id, chair_id, nonce, "timer.stop", {}, "stop-1", None)
    assert is_new
    pace = app.config["COP_ACCOUNT_COMMANDS_PER_MINUTE"]
    app.config["COP_ACCOUNT_COMMANDS_PER_MINUTE"] = 1
    try:
        with app.app_context():
            again, is_new = work.apply_command(meeting_id, chair_id, nonce, "timer.stop", {}, "stop-1", None)
        assert not is_new and again == first
        with app.app_context(), pytest.raises(Throttled):
            work.apply_command(meeting_id, chair_id, nonce, "timer.start", {}, "start-1", None)
    finally:
        app.config["COP_ACCOUNT_COMMANDS_PER_MINUTE"] = pace


def test_a_delegation_waits_once_per_kind_of_request(neg):
    """`floor.request` reads whether the delegation has a request of that kind waiting (one id, not the list)."""
    first = do(neg.u.lyon, neg.meeting, "floor.request")["request"]
    assert refused(neg.u.lyon, neg.meeting, "floor.request").status == 409
    assert do(neg.u.lyon, neg.meeting, "floor.request", point_of_order=True)["request"]["kind"] == "point_of_order"
    assert refused(neg.u.lyon, neg.meeting, "floor.request", point_of_order=True).status == 409
    do(neg.u.grenoble, neg.meeting, "floor.request")  # another delegation's request is its own
    do(neg.u.chair, neg.meeting, "floor.give", request_id=first["id"])
    assert do(neg.u.lyon, neg.meeting, "floor.request")["request"]["kind"] == "normal"  # no longer waiting
