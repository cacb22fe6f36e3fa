"""The negotiation as JSON: texts, amendments, proposals, objections, votes and decisions, for events and snapshots."""
from typing import Optional

from sqlalchemy.orm import joinedload, selectinload

from cop.db import db
from cop.meetings.models import Meeting
from cop.meetings.rules import iso
from cop.negotiation.decisions.models import Decision, Objection, ObjectionWindow
from cop.negotiation.votes.models import Vote, VoteParticipation
from cop.negotiation.texts.models import Amendment, AmendmentSponsor, Draft
from cop.negotiation.votes.tally import public_ballots
from cop.negotiation.texts.operations import options


def draft_json(draft: Draft) -> dict:
    """The current text of a draft, paragraph by paragraph."""
    current = draft.versions[-1] if draft.versions else None
    return {"id": draft.id, "item_id": draft.agenda_item_id, "title": draft.title, "version": draft.version,
            "label": current.label if current else "", "is_clean": bool(current and current.is_clean),
            "paragraphs": [{"id": p.id, "number": p.number, "text": p.text, "status": p.status,
                            "version": p.version, "options": options(p.text)} for p in draft.live_paragraphs]}


def amendment_json(amendment: Amendment) -> dict:
    """An amendment with its authors and its fate."""
    return {"id": amendment.id, "number": amendment.number, "draft_id": amendment.draft_id,
            "paragraph_id": amendment.paragraph_id, "paragraph_number": amendment.paragraph.number,
            "party_id": amendment.party_id, "party": amendment.party.name, "author": amendment.author.name,
            "kind": amendment.kind, "text": amendment.text, "explanation": amendment.explanation,
            "state": amendment.state, "paragraph_version": amendment.paragraph_version,
            "sponsors": [s.party.name for s in amendment.sponsors], "result_version": amendment.result_version}


def objection_json(objection: Objection) -> dict:
    """An objection, its reason and what became of it."""
    return {"id": objection.id, "window_id": objection.window_id, "party_id": objection.party_id,
            "party": objection.party.name, "reason": objection.reason, "state": objection.state,
            "ruling": objection.ruling}


def window_json(window: ObjectionWindow) -> dict:
    """A proposal of adoption by consensus and its countdown."""
    return {"id": window.id, "item_id": window.agenda_item_id, "paragraph_id": window.paragraph_id,
            "ends_at": iso(window.ends_dt), "state": window.state, "decision_id": window.decision_id,
            "objections": [objection_json(o) for o in window.objections]}


def participants(vote: Vote) -> list[VoteParticipation]:
    """Who took part, in the order they voted."""
    return db.session.scalars(db.select(VoteParticipation).filter_by(vote_id=vote.id)
                              .order_by(VoteParticipation.id)).all()


def vote_json(vote: Vote) -> dict:
    """A vote: who took part (party ids) while it runs; once closed the result and, for a public ballot only,
    {party id: choice} (names are in the snapshot's `parties`, so that a result for 200 parties stays small)."""
    data = {"id": vote.id, "item_id": vote.agenda_item_id, "paragraph_id": vote.paragraph_id,
            "question": vote.question, "weighting": vote.weighting, "secret": vote.is_secret, "state": vote.state,
            "electorate": len(vote.electorate), "present": vote.present_count, "required": vote.quorum_required,
            "participants": [p.party_id for p in participants(vote)],
            "opened_at": iso(vote.opened_dt), "closed_at": iso(vote.closed_dt)}
    if vote.state == "closed":
        ballots = {} if vote.is_secret else {str(b["party_id"]): b["choice"] for b in public_ballots(vote)}
        data.update(result=vote.result, outcome=vote.outcome, ballots=ballots)
    return data


def decision_json(decision: Decision) -> dict:
    """A numbered decision."""
    return {"id": decision.id, "number": decision.number, "reference": decision.reference, "mode": decision.mode,
            "outcome": decision.outcome, "item_id": decision.agenda_item_id, "paragraph_id": decision.paragraph_id,
            "text": decision.text, "draft_version": decision.draft_version}


#: A snapshot lists at most this many amendments (the open ones, newest first) and decisions (the latest): whatever
#: the journal holds, a joining client receives a bounded frame; the meeting's pages list everything, page by page.
SNAPSHOT_AMENDMENTS = 50
SNAPSHOT_DECISIONS = 50
#: Longer amendment texts and explanations are cut in a snapshot (the event that tabled them carried them whole).
SNAPSHOT_TEXT = 500
OPEN_AMENDMENTS = ("tabled", "taken_up")


def _summary(amendment: Amendment) -> dict:
    """An amendment in a snapshot: its texts cut at SNAPSHOT_TEXT characters."""
    data = amendment_json(amendment)
    for key in ("text", "explanation"):
        if len(data[key] or "") > SNAPSHOT_TEXT:
            data[key], data[f"{key}_truncated"] = data[key][:SNAPSHOT_TEXT], True
    return data


def negotiation_state(meeting: Meeting) -> dict:
    """What the room shows of the negotiation, as of the meeting's last seq, bounded whatever the journal holds."""
    item_ids = [i.id for i in meeting.items]
    drafts = db.session.scalars(db.select(Draft).filter(Draft.agenda_item_id.in_(item_ids))
                                .options(selectinload(Draft.paragraphs))).all()
    of_drafts = Amendment.draft_id.in_([d.id for d in drafts])
    # What amendment_json reads, loaded with the amendments (four lazy loads each otherwise: 50 open amendments
    # cost 200 round trips on every snapshot and meeting page).
    amendments = db.session.scalars(
        db.select(Amendment).filter(of_drafts, Amendment.state.in_(OPEN_AMENDMENTS))
        .options(joinedload(Amendment.paragraph), joinedload(Amendment.party), joinedload(Amendment.author),
                 selectinload(Amendment.sponsors).joinedload(AmendmentSponsor.party))
        .order_by(Amendment.id.desc()).limit(SNAPSHOT_AMENDMENTS)).all()
    counts = dict(db.session.execute(db.select(Amendment.state, db.func.count(Amendment.id)).filter(of_drafts)
                                     .group_by(Amendment.state)).all())
    window: Optional[ObjectionWindow] = db.session.scalar(
        db.select(ObjectionWindow).filter_by(meeting_id=meeting.id).order_by(ObjectionWindow.id.desc()).limit(1))
    vote: Optional[Vote] = db.session.scalar(
        db.select(Vote).filter_by(meeting_id=meeting.id).order_by(Vote.id.desc()).limit(1))
    decisions = db.session.scalars(db.select(Decision).filter_by(meeting_id=meeting.id)
                                   .order_by(Decision.number.desc()).limit(SNAPSHOT_DECISIONS)).all()
    return {"drafts": [draft_json(d) for d in drafts], "amendments": [_summary(a) for a in reversed(amendments)],
            "amendment_counts": counts, "window": window_json(window) if window else None,
            "vote": vote_json(vote) if vote else None, "decisions": [decision_json(d) for d in reversed(decisions)]}
