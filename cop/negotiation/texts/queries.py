"""What the text page shows: the draft, its amendments per paragraph, the decision under way, who may do what."""
from flask import session
from flask_login import current_user

from cop.db import db
from cop.meetings.models import AgendaItem
from cop.meetings.rules import aware
from cop.meetings.state import accredited_parties
from cop.negotiation.decisions.models import Decision, ObjectionWindow
from cop.negotiation.votes.models import Vote, VoteParticipation
from cop.negotiation.texts.models import Amendment, Draft
from cop.negotiation.services import draft_of
from cop.negotiation.texts.operations import options
from cop.rulebook.live import may_for
from cop.permissions import (amending_membership, can_chair_meeting, can_prepare_draft, objecting_membership,
                             voting_membership)


def _latest(model, item: AgendaItem):
    """The item's latest proposal of adoption or vote."""
    return db.session.scalar(db.select(model).filter_by(agenda_item_id=item.id).order_by(model.id.desc()).limit(1))


def _rights(item: AgendaItem, vote) -> dict:
    """What the reader may do on this page."""
    user = current_user if current_user.is_authenticated else None
    meeting, conference = item.meeting, item.meeting.conference
    voter = voting_membership(user, conference)
    voted = bool(vote and voter and db.session.scalar(db.select(VoteParticipation.id).filter_by(
        vote_id=vote.id, party_id=voter.party_id)))
    return {"can_chair": bool(user and can_chair_meeting(user, meeting)),
            "can_prepare": bool(user and can_prepare_draft(user, meeting)),
            "amender": amending_membership(user, conference), "objector": objecting_membership(user, conference),
            "voter": voter, "has_voted": voted,
            "has_receipt": bool(vote and str(vote.id) in session.get("vote_receipts", {})),
            "may": may_for(user, meeting)}


def text_page_context(item: AgendaItem) -> dict:
    """Everything templates/negotiation/show.html draws."""
    draft = draft_of(item)
    amendments = db.session.scalars(db.select(Amendment).filter_by(draft_id=draft.id)
                                    .order_by(Amendment.number)).all() if draft else []
    by_paragraph: dict[int, list] = {}
    for amendment in amendments:
        by_paragraph.setdefault(amendment.paragraph_id, []).append(amendment)
    window, vote = _latest(ObjectionWindow, item), _latest(Vote, item)
    decisions = db.session.scalars(db.select(Decision).filter_by(agenda_item_id=item.id)
                                   .order_by(Decision.number)).all()
    return dict(meeting=item.meeting, item=item, draft=draft, amendments=amendments, by_paragraph=by_paragraph,
                options=options, window=window, window_ends=aware(window.ends_dt) if window else None, vote=vote,
                decisions=decisions, parties=accredited_parties(item.meeting), **_rights(item, vote))


def panel_context(meeting) -> dict:
    """The room's view of the negotiation: the current item's text, the amendment under discussion, the decision."""
    texts = db.session.execute(db.select(AgendaItem, Draft).join(Draft, Draft.agenda_item_id == AgendaItem.id)
                               .filter(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)).all()
    item = meeting.current_item
    if item is None:
        return {"item": None, "meeting": meeting, "texts": texts}
    context = text_page_context(item)
    pending = [a for a in context["amendments"] if a.state in ("taken_up", "tabled")]
    focus = next((a for a in pending if a.state == "taken_up"), pending[-1] if pending else None)
    return dict(context, focus=focus, texts=texts)
