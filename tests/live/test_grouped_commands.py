"""Commands that queue up for one meeting (a vote's ballots) share a transaction, each in its own savepoint, and
their events reach the watchers as one message: tested with a real server, real clients, on both engines."""
import asyncio
import json

from sqlalchemy import event, update

from cop.db import db
from cop.live import work
from cop.meetings.models import Meeting, MeetingEvent
from cop.negotiation.votes.models import Vote
from tests.live.conftest import Peer, run, token_for
from tests.negotiation.conftest import build, do


async def _send(peer: Peer, name: str, cid: str, args=None) -> None:
    await peer.ws.send(json.dumps({"type": "command", "id": cid, "name": name, "args": args or {}}))


async def _answer(peer: Peer, cid: str) -> dict:
    """The ack or error of a command already sent (events received meanwhile are kept)."""
    while True:
        frame = await peer.recv(timeout=20)
        if frame["type"] in ("ack", "error") and frame.get("id") == cid:
            return frame


def test_commands_queued_together_commit_together_and_reach_watchers_as_one_message(live, room):
    """The meeting is held locked by another transaction while five clients send their commands: the first waits
    for the lock in the writer, the others queue behind it and then run as one group. A refused command and a
    resent one inside the group change nothing of the others; every client gets its own answer; the watcher gets
    every event once, in order, the group's in one message."""
    app = live.app
    with app.app_context():
        chair_token = token_for(app, room.chair, room.meeting)
        tokens = {key: token_for(app, getattr(room, key), room.meeting) for key in ("a", "b", "observer")}

    async def scenario():
        watcher = await Peer.join(live.url, room.meeting.id)
        chair = await Peer.join(live.url, room.meeting.id, chair_token)
        alice, bruno, olga = [await Peer.join(live.url, room.meeting.id, tokens[k]) for k in ("a", "b", "observer")]
        assert (await chair.command("meeting.open"))["type"] == "ack"
        opened = (await watcher.event("meeting.opened"))["seq"]

        with app.app_context(), db.engine.connect() as other:
            # Another transaction holds the meeting's lock (a web door's command, the other live process).
            other.execute(update(Meeting).where(Meeting.id == room.meeting.id).values(version=Meeting.version))
            await _send(alice, "floor.request", "a1")
            await _send(bruno, "floor.request", "b1")
            await _send(olga, "floor.request", "o1")      # an observer: refused
            await _send(alice, "floor.request", "a1")     # the same command again: applied once
            await _send(chair, "floor.next", "n1")
            await _send(chair, "meeting.open", "c2")      # it is open already: refused
            await asyncio.sleep(0.5)                     # all of them queued behind the lock
            other.rollback()

        a1, b1, o1 = await _answer(alice, "a1"), await _answer(bruno, "b1"), await _answer(olga, "o1")
        a1_again, n1, c2 = await _answer(alice, "a1"), await _answer(chair, "n1"), await _answer(chair, "c2")
        assert [f["type"] for f in (a1, b1, a1_again, n1)] == ["ack"] * 4
        assert (a1["seq"], b1["seq"], a1_again["seq"], n1["seq"]) == (opened + 1, opened + 2, opened + 1, opened + 3)
        assert o1["code"] == "forbidden" and c2["code"] == "conflict" and c2["message"]
        seen = [(await watcher.event())["seq"] for _ in range(3)]
        assert seen == [opened + 1, opened + 2, opened + 3]
        assert watcher.grouped >= 1  # at least b1 and n1 came in one message
        for peer in (watcher, chair, alice, bruno, olga):
            await peer.close()

    run(scenario())
    with app.app_context():
        names = db.session.scalars(db.select(MeetingEvent.name).filter(
            MeetingEvent.meeting_id == room.meeting.id).order_by(MeetingEvent.seq)).all()
        assert names[-3:] == ["floor.requested", "floor.requested", "floor.given"]
        assert db.session.get(Meeting, room.meeting.id).last_seq == len(names)


def test_a_group_commits_in_several_transactions_when_it_runs_long(app, room, monkeypatch):
    """With no time for a second command in a transaction, each commits on its own: the clients of the first are
    answered (settle is called) before the second runs, and a refusal in the middle stays a refusal."""
    monkeypatch.setattr(work, "GROUP_SECONDS", 0)
    settled: list[list] = []
    with app.app_context():
        chair, alice, olga = (getattr(room, k) for k in ("chair", "a", "observer"))
        work.apply_command(room.meeting.id, chair.id, chair.session_nonce, "meeting.open", {}, "open")
        jobs = [(room.meeting.id, user.id, user.session_nonce, "floor.request", {}, cid, [], None)
                for user, cid in ((alice, "x1"), (olga, "x2"), (alice, "x3"))]
        work.apply_commands(jobs, settled.append)
    assert [len(outcomes) for outcomes in settled] == [1, 1, 1]
    (ok1, (frame, new)), (ok2, refusal), (ok3, conflict) = (outcomes[0] for outcomes in settled)
    assert ok1 and new and frame["name"] == "floor.requested"
    assert not ok2 and refusal.code == "forbidden" and not ok3 and conflict.code == "conflict"
    with app.app_context():
        assert db.session.get(Meeting, room.meeting.id).last_seq == frame["seq"]


def test_a_group_reads_the_rows_its_commands_share_once(make):
    """Three ballots in one group read the vote, the accounts and their memberships once and lock the meeting once,
    not once per ballot (the session held its rows by weak references only); each ballot is still counted, in its
    own savepoint."""
    neg = build(make, decision_mode="vote", secret_ballot=False)
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    vote_id = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]["id"]
    jobs = [(neg.meeting.id, u.id, u.session_nonce, "vote.cast", {"vote_id": vote_id, "choice": "yes"}, f"v{u.id}",
             [], None) for u in (neg.u.lyon, neg.u.grenoble, neg.u.annecy)]
    db.session.remove()
    statements: list[str] = []

    def count(conn, cursor, statement, *_):
        statements.append(" ".join(statement.split()))

    settled: list = []
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        work.apply_commands(jobs, settled.append)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert [ok for ok, _ in settled[0]] == [True, True, True]
    def times(start: str) -> int:
        return sum(s.startswith(start) for s in statements)

    # The vote, the accounts and their memberships are read once; the meeting is locked once.
    assert times("SELECT vote.id") == 1 and times("SELECT user_account.id") == 1
    assert times("SELECT membership.id") == 1 and times("UPDATE meeting SET version=meeting.version") == 1
    assert db.session.get(Vote, vote_id).yes_count == 3
