"""Votes: opened on a quorum, one ballot per party, changeable until the close, secret when the rules say so
(ballots.py keeps secret ballots)."""
from datetime import datetime
from typing import Optional

from sqlalchemy import bindparam, case
from sqlalchemy.orm import joinedload

from cop.auth.models import User
from cop.conferences.models import Membership, Party
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, NotFound
from cop.loaders import is_id
from cop.meetings.models import AgendaItem, Meeting
from cop.negotiation.votes import ballots
from cop.negotiation.decisions.operations import adopt, check_decidable
from cop.negotiation.texts.models import Paragraph
from cop.notify import decision_mail
from cop.negotiation.services import MAX_QUESTION, clean_text, record, require_chair
from cop.negotiation.votes.tally import population_weight, result_of, void_result
from cop.negotiation.votes.models import CHOICES, Ballot, Vote, VoteParticipation
from cop.permissions import voting_membership

def vote_of(meeting: Meeting, vote_id) -> Vote:
    """A vote of this meeting, or NotFound."""
    vote = db.session.get(Vote, vote_id) if is_id(vote_id) else None
    if vote is None or vote.meeting_id != meeting.id:
        raise NotFound("Ce vote n’existe pas dans cette séance.")
    return vote


def open_vote(user: User, meeting: Meeting, item: AgendaItem, paragraph: Optional[Paragraph], question,
              measure_quorum, now: datetime) -> Vote:
    """The chair opens a vote where the rules allow one, once `measure_quorum()` (cop/meetings/quorum.py) passes."""
    require_chair(user, meeting)
    conference = meeting.conference
    if conference.decision_mode != "vote":
        raise Conflict("Les règles de cette COP ne prévoient pas de vote : la décision se prend par consensus.")
    check_decidable(meeting, item, paragraph)
    question = clean_text(question or f"Adoption du point « {item.title} »", "La question", limit=MAX_QUESTION)
    # Their territories with them: the electorate's weights read each population (166 round trips otherwise).
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=conference.id, accreditation="accredited")
                                 .options(joinedload(Party.territory))).all()
    quorum = measure_quorum()
    present, required = quorum["present"], quorum["required"]
    vote = Vote(meeting_id=meeting.id, agenda_item_id=item.id, paragraph_id=paragraph.id if paragraph else None,
                question=question, weighting=conference.vote_weighting, is_secret=conference.secret_ballot,
                electorate={str(p.id): population_weight(p) for p in parties}, present_count=len(present),
                quorum_required=required, opened_by_id=user.id, opened_dt=now)
    db.session.add(vote)
    db.session.flush()
    if vote.is_secret:
        ballots.open_box(vote)
    record("vote.opened", vote, user, meeting, weighting=vote.weighting, secret=vote.is_secret,
           present=len(present), required=required, source=quorum["source"])
    decision_mail.vote_opened(meeting, item, vote)
    return vote


def _voter(user: User, meeting: Meeting, vote: Vote) -> Membership:
    """The party the user votes for, if the vote is open and the party is in its electorate."""
    m = voting_membership(user, meeting.conference)
    if m is None:
        raise Forbidden("Seul le chef de délégation, ou un délégué qu’il y autorise, vote pour une partie.")
    if vote.state != "open":
        raise Conflict("Ce vote est clos.")
    if str(m.party_id) not in vote.electorate:
        raise Forbidden("Votre délégation n’était pas accréditée à l’ouverture de ce vote.")
    return m


def _choice(choice) -> str:
    """yes, no or abstain."""
    if choice not in CHOICES:
        raise Invalid("Choix attendu : pour, contre ou abstention.")
    return choice


def _count(vote: Vote, choice: str, population: int, step: int) -> None:
    """Move the running counters by one party (step ±1), and by its population when the weighting needs it."""
    setattr(vote, f"{choice}_count", getattr(vote, f"{choice}_count") + step)
    if vote.weighting == "double_majority":
        setattr(vote, f"{choice}_population", getattr(vote, f"{choice}_population") + step * population)


def _turnout(vote: Vote, party_id: int) -> tuple[int, bool]:
    """How many parties have voted so far, and whether this one has (one statement; the meeting's lock holds both
    until the commit)."""
    count, mine = db.session.execute(_TURNOUT, {"vote_id": vote.id, "party_id": party_id}).one()
    return count, bool(mine)


#: `_turnout`'s statement, built once per process (building it on every ballot cost more CPU than sending it).
_TURNOUT = db.select(db.func.count(VoteParticipation.id),
                     db.func.sum(case((VoteParticipation.party_id == bindparam("party_id"), 1), else_=0))
                     ).filter(VoteParticipation.vote_id == bindparam("vote_id"))


def cast(user: User, meeting: Meeting, vote: Vote, choice, receipt, now: datetime) -> tuple[VoteParticipation, int]:
    """A party votes once; a secret ballot keeps only the hash of the receipt the client holds. Return its
    participation and how many parties have voted with it."""
    m = _voter(user, meeting, vote)
    choice = _choice(choice)
    participants, voted = _turnout(vote, m.party_id)
    if voted:
        raise Conflict("Votre délégation a déjà voté : elle peut changer son vote jusqu’à la clôture.")
    if vote.is_secret:  # sealed; no counter moves until the close
        ballots.seal(vote, m.party_id, receipt, choice, vote.electorate[str(m.party_id)], is_new=True)
    else:
        db.session.add(Ballot(vote_id=vote.id, choice=choice, party_id=m.party_id))
        _count(vote, choice, vote.electorate[str(m.party_id)], 1)
    participation = VoteParticipation(vote_id=vote.id, party_id=m.party_id, user_id=user.id, created_dt=now)
    db.session.add(participation)
    db.session.flush()
    return participation, participants + 1


def change(user: User, meeting: Meeting, vote: Vote, choice, receipt) -> tuple[Party, int]:
    """A party that voted changes its vote before the close (a secret ballot is found by its receipt only). Return
    its party and how many parties have voted."""
    m = _voter(user, meeting, vote)
    choice = _choice(choice)
    participants, voted = _turnout(vote, m.party_id)
    if not voted:
        raise Conflict("Votre délégation n’a pas encore voté.")
    population = vote.electorate[str(m.party_id)]
    if vote.is_secret:  # the receipt opens its own party's ballot only
        ballots.seal(vote, m.party_id, receipt, choice, population, is_new=False)
    else:
        ballot = db.session.scalar(db.select(Ballot).filter_by(vote_id=vote.id, party_id=m.party_id))
        former, ballot.choice = ballot.choice, choice
        _count(vote, former, population, -1)
        _count(vote, choice, population, 1)
    db.session.flush()
    return m.party, participants


def close_vote(user: User, meeting: Meeting, vote: Vote, now: datetime) -> Vote:
    """The chair closes the vote: the result is published at once; adopted, it becomes a numbered decision."""
    require_chair(user, meeting)
    if vote.state != "open":
        raise Conflict("Ce vote est déjà clos.")
    vote.state, vote.closed_dt = "closed", now
    counted = ballots.count_and_destroy(vote) if vote.is_secret else True
    vote.result = result_of(vote) if counted else void_result(vote)
    vote.outcome = vote.result["outcome"]
    if vote.outcome == "adopted":
        paragraph = db.session.get(Paragraph, vote.paragraph_id) if vote.paragraph_id else None
        item = db.session.get(AgendaItem, vote.agenda_item_id)
        vote.decision_id = adopt(user, meeting, item, paragraph, "vote", now).id
    record("vote.closed", vote, user, meeting, outcome=vote.outcome, result=vote.result)
    return vote
