"""A secret ballot: anyone sees who took part, no table, event or log tells how a party voted.

The check is an experiment: the same vote is run twice, with Grenoble's and Annecy's choices swapped. If every
table (system columns included), every journal event and every captured log line reads the same both times —
random ballot ids, receipt hashes and timestamps aside — then nothing stored or logged tells the two apart, so
nothing tells how either party voted.
"""
import json
import logging

import pytest
from flask import g
from sqlalchemy import text

from cop.db import db
from cop.meetings.models import MeetingEvent
from cop.negotiation.votes.ballots import new_receipt
from cop.negotiation.votes.models import Ballot, Vote
from tests.conftest import _empty_tables
from tests.negotiation.conftest import build, do, refused, roll_call

SKIPPED_COLUMNS = {"email", "code", "session_nonce", "password_hash", "hash", "prev_hash", "label", "search_name",
                   "token"}
RANDOM_BY_DESIGN = {("ballot", "id"), ("ballot", "receipt_hash")}


def _scrub(value):
    """JSON without its timestamps ("…_at" keys)."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if not k.endswith("_at")}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _maybe_json(value):
    """A JSON document stored as text, decoded; anything else as it is."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def dump() -> dict:
    """Every row of every table, minus timestamps and what is random by design; rows sorted."""
    tables = {}
    for table in db.metadata.sorted_tables:
        keep = [c for c in table.columns if not c.name.endswith("_dt") and c.name not in SKIPPED_COLUMNS
                and (table.name, c.name) not in RANDOM_BY_DESIGN]
        rows = db.session.execute(db.select(*keep)).all()
        values = []
        for row in rows:
            cells = [_scrub(_maybe_json(v)) for v in row]
            values.append(json.dumps(cells, sort_keys=True, default=str, ensure_ascii=False))
        tables[table.name] = sorted(values)
    # Which ballot row holds which choice, rows in id order: the same both times, so it says nothing either.
    tables["ballot order"] = db.session.scalars(db.select(Ballot.choice).order_by(Ballot.id)).all()
    return tables


def reset() -> None:
    """Empty every table and restart its ids, so that both runs number their rows alike."""
    db.session.rollback()
    if db.session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()
    else:
        _empty_tables()  # SQLite numbers from max(rowid) + 1: from 1 again in an empty table
    db.session.expunge_all()
    g.pop("_memberships", None)  # permissions memoise memberships by (user id, conference id)


def ballot_positions() -> list:
    """Where the ballots sit: rowid → id on SQLite, (ctid, id) on PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.execute(text("SELECT id FROM ballot ORDER BY ctid")).scalars().all()
    return db.session.execute(text("SELECT rowid, id FROM ballot ORDER BY rowid")).all()


def run_vote(make, caplog, grenoble: str, annecy: str, weighting: str):
    """Open a secret vote, cast Lyon, Grenoble, Annecy in that order, Lyon changes its vote, close."""
    neg = build(make, decision_mode="vote", secret_ballot=True, vote_weighting=weighting)
    for party in (neg.lyon, neg.grenoble, neg.annecy):
        party.territory.population = 100_000  # equal weights: swapping two choices keeps every published sum
    db.session.commit()
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    present = [neg.lyon.id, neg.grenoble.id, neg.annecy.id]
    roll_call(neg, present)
    vote = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]
    before = ballot_positions()
    receipts = [new_receipt() for _ in range(3)]
    for user, choice, receipt in ((neg.u.lyon, "yes", receipts[0]), (neg.u.grenoble, grenoble, receipts[1]),
                                  (neg.u.annecy, annecy, receipts[2])):
        do(user, neg.meeting, "vote.cast", vote_id=vote["id"], choice=choice, receipt=receipt)
    do(neg.u.lyon, neg.meeting, "vote.change", vote_id=vote["id"], choice="no", receipt=receipts[0])
    closed = do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    return neg, closed, before, receipts


@pytest.mark.parametrize("weighting", ["one_party_one_vote", "double_majority"])
def test_no_table_event_or_log_tells_how_a_party_voted(make, caplog, weighting):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    views, all_receipts = [], []
    for grenoble, annecy in (("no", "abstain"), ("abstain", "no")):
        reset()
        neg, closed, before, receipts = run_vote(make, caplog, grenoble, annecy, weighting)
        all_receipts += receipts
        # Who took part is public; how is not.
        assert closed["vote"]["participants"] == [neg.lyon.id, neg.grenoble.id, neg.annecy.id]
        assert closed["vote"]["result"]["counts"] == {"yes": 0, "no": 2, "abstain": 1}
        assert closed["vote"]["ballots"] == {} and "populations" not in closed["vote"]["result"]
        assert all(b.party_id is None for b in db.session.scalars(db.select(Ballot)))
        assert not {c.name for c in Ballot.__table__.columns} & {"created_dt", "party", "user_id", "seq"}
        # Ballots were made blank at opening and stay where they were.
        assert sorted(ballot_positions(), key=str) == sorted(before, key=str)
        if db.session.get_bind().dialect.name == "postgresql":
            assert db.session.execute(text("SELECT count(DISTINCT xmin::text) FROM ballot")).scalar() == 1
        order = db.session.scalars(db.select(Ballot.choice).order_by(Ballot.id)).all()
        assert order == sorted(order), "ballot contents must follow the choices, not the order of voting"
        views.append(dump())
    assert views[0] == views[1]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "UPDATE ballot" in logged  # SQL logging was on, yet without parameters
    for secret in all_receipts + ["'yes'", "'no'", "'abstain'", '"choice"']:
        assert secret not in logged


def test_events_never_carry_a_choice_or_a_receipt(make, caplog):
    neg, closed, _, receipts = run_vote(make, caplog, "no", "abstain", "one_party_one_vote")
    frames = [json.dumps(e.data) for e in db.session.scalars(db.select(MeetingEvent))]
    assert len(frames) >= 6  # text resolved, vote opened, three casts, a change, the close
    for frame in frames:
        assert '"choice"' not in frame and not any(r in frame for r in receipts)
    ballot_receipt_hashes = db.session.scalars(db.select(Ballot.receipt_hash)).all()
    assert not any(r in (h or "") for r in receipts for h in ballot_receipt_hashes)


def test_a_receipt_of_another_vote_or_forged_changes_nothing(make, caplog):
    neg, closed, _, receipts = run_vote(make, caplog, "no", "abstain", "one_party_one_vote")
    assert refused(neg.u.lyon, neg.meeting, "vote.change", vote_id=closed["vote"]["id"], choice="yes",
                   receipt=receipts[0]).status == 409
    present = [neg.lyon.id, neg.grenoble.id, neg.annecy.id]
    roll_call(neg, present, neg.other)
    second = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.other.id)["vote"]
    mine, theirs = new_receipt(), new_receipt()
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=second["id"], choice="yes", receipt=mine)
    do(neg.u.annecy, neg.meeting, "vote.cast", vote_id=second["id"], choice="no", receipt=theirs)
    for receipt in (receipts[0], new_receipt()):
        error = refused(neg.u.lyon, neg.meeting, "vote.change", vote_id=second["id"], choice="no", receipt=receipt)
        assert error.status == 403 and "reçu" in error.message
    reused = refused(neg.u.grenoble, neg.meeting, "vote.cast", vote_id=second["id"], choice="yes", receipt=theirs)
    assert reused.status == 409
    assert refused(neg.u.grenoble, neg.meeting, "vote.change", vote_id=second["id"], choice="no",
                   receipt=mine).status == 409
    vote = db.session.get(Vote, second["id"])
    assert (vote.yes_count, vote.no_count, vote.abstain_count) == (1, 1, 0)
