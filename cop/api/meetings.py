"""GET /api/v1/conferences/<id>/meetings: the public meetings of a COP with their agenda, their decisions and the
results of their closed votes, as the minutes publish them (never a ballot, never an open vote's count)."""
from flask import jsonify
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop import loaders
from cop.api import bp, serialize
from cop.api.pagination import paginate
from cop.db import db
from cop.meetings.models import Meeting
from cop.negotiation.decisions.models import Decision
from cop.negotiation.votes.models import Vote


def _vote(vote: Vote) -> dict:
    """A closed vote's published result."""
    return {"agenda_item_id": vote.agenda_item_id, "question": vote.question, "weighting": vote.weighting,
            "is_secret": vote.is_secret, "present": vote.present_count, "quorum_required": vote.quorum_required,
            "yes": vote.yes_count, "no": vote.no_count, "abstain": vote.abstain_count,
            "yes_population": vote.yes_population, "no_population": vote.no_population,
            "abstain_population": vote.abstain_population, "outcome": vote.outcome}


@bp.get("/conferences/<int:conference_id>/meetings")
def conference_meetings(conference_id: int):
    """One page of the public meetings, in order of their start, each with agenda, decisions and vote results."""
    conference = loaders.get_conference(conference_id)
    query = (select(Meeting).where(Meeting.conference_id == conference.id, Meeting.is_public)
             .options(selectinload(Meeting.items)).order_by(Meeting.starts_dt, Meeting.id))

    def item(meeting: Meeting) -> dict:
        decisions = db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                       .order_by(Decision.number)).all()
        votes = db.session.scalars(select(Vote).where(Vote.meeting_id == meeting.id, Vote.closed_dt.is_not(None))
                                   .order_by(Vote.id)).all()
        return {"id": meeting.id, "kind": meeting.kind, "title": meeting.title, "place": meeting.place,
                "starts_at": serialize.when(meeting.starts_dt), "state": meeting.state,
                "agenda": [{"id": i.id, "position": i.position, "title": i.title, "description": i.description,
                            "state": i.state} for i in meeting.items],
                "decisions": [{"number": d.number, "agenda_item_id": d.agenda_item_id, "mode": d.mode,
                               "outcome": d.outcome, "text": d.text, "at": serialize.when(d.created_dt)}
                              for d in decisions],
                "votes": [_vote(v) for v in votes]}

    return jsonify(paginate(query, item, conference_id=conference.id))
