"""The room's snapshot (every meeting page and every live join builds it) reads a bounded number of rows whatever the
meeting holds: the amendments' parties, authors, paragraphs and sponsors and a public ballot's parties are loaded with
their rows, not one by one (a plenary's 166 ballots used to cost 166 round trips on each page)."""
from contextlib import contextmanager

from sqlalchemy import event

from cop.db import db
from cop.meetings.state import snapshot
from tests.negotiation.conftest import build, do
from tests.negotiation.test_votes import clean, open_vote


@contextmanager
def counting():
    """[n]: the statements sent to the database inside the block."""
    count = [0]

    def counted(*_):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)


def statements_of_snapshot(meeting_id: int) -> tuple[int, dict]:
    """The snapshot built on a fresh session, and how many statements it took."""
    from cop.meetings.models import Meeting

    db.session.expire_all()
    with counting() as count:
        state = snapshot(db.session.get(Meeting, meeting_id))
    return count[0], state


def table(neg, user, paragraph: int):
    return do(user, neg.meeting, "amendment.table", paragraph_id=neg.p[paragraph], kind="replace",
              text="Les parties réhabilitent 200 hectares de friches.", explanation="Relever l’ambition.",
              version=1)["amendment"]


def test_the_snapshot_does_not_read_row_by_row(make):
    neg = build(make, decision_mode="vote")
    clean(neg)
    vote = open_vote(neg)
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])  # rejected: the item may be voted on again
    first = table(neg, neg.u.lyon, 1)
    do(neg.u.grenoble, neg.meeting, "amendment.cosponsor", amendment_id=first["id"])
    small, before = statements_of_snapshot(neg.meeting.id)
    assert [a["sponsors"] for a in before["negotiation"]["amendments"]] == [["Grenoble-Alpes-Métropole"]]
    assert before["negotiation"]["vote"]["ballots"] == {str(neg.lyon.id): "no"}

    # A second (public) vote with three ballots, then more amendments by other parties and authors, more sponsors.
    do(neg.u.chair, neg.meeting, "amendment.set_aside", amendment_id=first["id"])
    vote = open_vote(neg)
    for user, choice in ((neg.u.lyon, "no"), (neg.u.grenoble, "no"), (neg.u.annecy, "abstain")):
        do(user, neg.meeting, "vote.cast", vote_id=vote["id"], choice=choice)
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    tabled = [table(neg, user, paragraph) for user, paragraph in
              ((neg.u.lyon, 1), (neg.u.grenoble, 2), (neg.u.annecy, 1), (neg.u.annecy, 2))]
    for amendment in tabled[:2]:
        do(neg.u.annecy, neg.meeting, "amendment.cosponsor", amendment_id=amendment["id"])
    do(neg.u.grenoble, neg.meeting, "amendment.cosponsor", amendment_id=tabled[0]["id"])
    large, after = statements_of_snapshot(neg.meeting.id)

    amendments = after["negotiation"]["amendments"]
    assert len(amendments) == 4
    assert amendments[0]["sponsors"] == ["CA du Grand Annecy", "Grenoble-Alpes-Métropole"]
    assert {a["party"] for a in amendments} == {"Métropole de Lyon", "Grenoble-Alpes-Métropole", "CA du Grand Annecy"}
    assert after["negotiation"]["vote"]["ballots"] == {
        str(neg.lyon.id): "no", str(neg.grenoble.id): "no", str(neg.annecy.id): "abstain"}
    assert large == small, f"{small} statements for one amendment and one ballot, {large} for four and three"


def statements_of_vote_open(neg) -> tuple[int, dict]:
    """vote.open on the item (every accredited party present by roll call), on a fresh session, counted."""
    from cop.negotiation.decisions.models import Decision  # noqa: F401 (the models a vote touches are loaded)
    from tests.negotiation.conftest import roll_call
    from cop.conferences.models import Party

    present = db.session.scalars(db.select(Party.id).filter_by(conference_id=neg.conf.id,
                                                                accreditation="accredited")).all()
    roll_call(neg, present)
    db.session.expire_all()
    with counting() as count:
        vote = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]
    return count[0], vote


def test_opening_a_vote_reads_the_electorate_at_once(make):
    """Each party's weight is its territory's population: read with the parties, not one territory at a time."""
    neg = build(make, decision_mode="vote", vote_weighting="double_majority")
    clean(neg)
    few, vote = statements_of_vote_open(neg)
    assert vote["electorate"] == 3
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])  # rejected: the item may be voted on again

    for n in range(12):
        party = make.party(neg.conf, make.territory(region=neg.conf.region, population=10_000 + n))
        make.member(neg.conf, "head_of_delegation", party)
    db.session.commit()
    many, vote = statements_of_vote_open(neg)
    assert vote["electorate"] == 15
    assert many == few, f"{few} statements to open a vote for 3 parties, {many} for 15"
