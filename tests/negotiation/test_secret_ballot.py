"""A secret ballot: anyone sees who took part, no table, event or log tells how a party voted.

The check is an experiment: the same vote is run twice, with Grenoble's and Annecy's choices swapped. If every
table (system columns included), every journal event and every captured log line reads the same both times —
random ballot ids, receipt hashes and timestamps aside — then nothing stored or logged tells the two apart, so
nothing tells how either party voted.
"""
import json
import logging
import re

import pytest
from flask import g
from sqlalchemy import text

from cop.db import db
from cop.meetings.models import MeetingEvent
from cop.negotiation.votes.ballots import new_receipt
from cop.negotiation.votes.models import Ballot, Vote
from tests.conftest import _empty_tables
from tests.negotiation.conftest import build, do, refused, roll_call

SKIPPED_COLUMNS = {"email", "to_address", "code", "session_nonce", "password_hash", "hash", "prev_hash", "label",
                   "search_name", "token"}
RANDOM_BY_DESIGN = {("ballot", "id"), ("ballot", "sealed"), ("ballot_key", "key")}


#: A time written in words ("version du 28/11/2026 09:43"): the two runs may fall on either side of a minute.
WRITTEN_TIME = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")


def _scrub(value):
    """JSON without its timestamps ("…_at" keys, times written in a label)."""
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if not k.endswith("_at")}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return WRITTEN_TIME.sub("<time>", value)
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
    before = None
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
        # The sealed ballots and their key are gone with the close.
        assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0
        views.append(dump())
    assert views[0] == views[1]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "INSERT INTO ballot" in logged  # SQL logging was on, yet without parameters
    for secret in all_receipts + ["'yes'", "'no'", "'abstain'", '"choice"']:
        assert secret not in logged


def test_events_never_carry_a_choice_or_a_receipt(make, caplog):
    neg, closed, _, receipts = run_vote(make, caplog, "no", "abstain", "one_party_one_vote")
    frames = [json.dumps(e.data) for e in db.session.scalars(db.select(MeetingEvent))]
    assert len(frames) >= 6  # text resolved, vote opened, three casts, a change, the close
    for frame in frames:
        assert '"choice"' not in frame and not any(r in frame for r in receipts)
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0


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
    for receipt in (receipts[0], new_receipt(), theirs):
        error = refused(neg.u.lyon, neg.meeting, "vote.change", vote_id=second["id"], choice="no", receipt=receipt)
        assert error.status == 403 and "reçu" in error.message
    assert refused(neg.u.grenoble, neg.meeting, "vote.change", vote_id=second["id"], choice="no",
                   receipt=mine).status == 409
    closed = do(neg.u.chair, neg.meeting, "vote.close", vote_id=second["id"])["vote"]
    assert closed["result"]["counts"] == {"yes": 1, "no": 1, "abstain": 0}


def test_a_receipt_works_only_for_the_party_it_was_issued_to(make):
    """Grenoble's receipt in Annecy's hands (both voted) changes nothing: not Grenoble's ballot, not the weights."""
    neg = build(make, decision_mode="vote", secret_ballot=True, vote_weighting="double_majority")
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    roll_call(neg)
    vote_id = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]["id"]
    grenoble, annecy = new_receipt(), new_receipt()
    do(neg.u.grenoble, neg.meeting, "vote.cast", vote_id=vote_id, choice="yes", receipt=grenoble)
    do(neg.u.annecy, neg.meeting, "vote.cast", vote_id=vote_id, choice="yes", receipt=annecy)
    flip = refused(neg.u.annecy, neg.meeting, "vote.change", vote_id=vote_id, choice="no", receipt=grenoble)
    assert flip.status == 403 and "votre délégation" in flip.message
    do(neg.u.grenoble_voter, neg.meeting, "vote.change", vote_id=vote_id, choice="abstain", receipt=grenoble)
    result = do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote_id)["vote"]["result"]
    assert result["counts"] == {"yes": 1, "no": 0, "abstain": 1}
    vote = db.session.get(Vote, vote_id)
    assert (vote.yes_population, vote.no_population, vote.abstain_population) == (213_415, 0, 450_608)


def test_a_vote_whose_key_was_lost_in_a_crash_closes_void(make):
    """PostgreSQL empties the unlogged key table after a crash: nothing can be counted, nothing is made up."""
    neg = build(make, decision_mode="vote", secret_ballot=True)
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    roll_call(neg)
    vote_id = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]["id"]
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote_id, choice="yes", receipt=new_receipt())
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE ballot_key"))  # what crash recovery does to an unlogged table
    else:
        db.session.execute(text("DELETE FROM ballot_key"))
    db.session.commit()
    lost = refused(neg.u.grenoble, neg.meeting, "vote.cast", vote_id=vote_id, choice="no", receipt=new_receipt())
    assert lost.status == 409 and "perdus" in lost.message
    closed = do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote_id)
    assert closed["vote"]["outcome"] == "void" and closed["decision"] is None
    assert closed["vote"]["result"]["void"] is True and closed["vote"]["result"]["participants"] == 1


def test_rules_and_console_warn_before_a_secret_vote_with_few_voters(client, auth, make):
    neg = build(make, decision_mode="vote", secret_ballot=True, vote_weighting="double_majority")
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    rules = client.get(f"/cop/{neg.conf.id}").get_data(as_text=True)
    assert "arrondie à la dizaine" in rules and "moins de 12 votants" in rules
    auth.login(neg.u.chair.email)
    page = client.get(f"/meetings/{neg.meeting.id}/chair").get_data(as_text=True)
    assert "vote secret avec 3 délégation(s) accréditée(s)" in page


def test_a_secret_double_majority_publishes_the_least(make):
    neg = build(make, decision_mode="vote", secret_ballot=True, vote_weighting="double_majority")
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    roll_call(neg)
    vote_id = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]["id"]
    for who, choice in (("lyon", "no"), ("grenoble", "yes"), ("annecy", "yes")):
        do(getattr(neg.u, who), neg.meeting, "vote.cast", vote_id=vote_id, choice=choice, receipt=new_receipt())
    result = do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote_id)["vote"]["result"]
    # 664,023 of 2,100,377 is 31.6 %: published as 30, which three other splits would also give.
    assert result["population_share"] == 30 and result["population_majority"] is False
    assert "populations" not in result and result["counts"] == {"yes": 2, "no": 1, "abstain": 0}
