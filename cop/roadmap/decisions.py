"""What the roadmap reads from the negotiation: adopted decisions as collective actions, and its own adoption."""
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import select

from cop.auth.models import User
from cop.db import db
from cop.meetings.models import Meeting
from cop.negotiation.decisions.models import Decision
from cop.reference.models import Sector
from cop.roadmap.freeze import utc_text
from cop.roadmap.models import RoadmapVersion


@dataclass
class Adoption:
    """The facts of a decision that adopted an agenda item as a whole."""

    agenda_item_id: int
    decision_id: int
    reference: str
    adopted_dt: Optional[datetime]
    actor: object


def adoption_of(decision: Decision) -> Optional[Adoption]:
    """The adoption a decision carries, or None ("prend acte", or one paragraph only, adopts no roadmap)."""
    if decision.outcome != "adopted" or decision.paragraph_id is not None:
        return None
    actor = db.session.get(User, decision.chair_id) if decision.chair_id else None
    return Adoption(decision.agenda_item_id, decision.id, decision.reference, decision.created_dt, actor)


def adopted_actions(conference_id: int) -> list[dict]:
    """Adopted decisions on whole agenda items, as collective actions; a contact group's go to its filière."""
    roadmap_items = select(RoadmapVersion.agenda_item_id).where(RoadmapVersion.agenda_item_id.is_not(None))
    rows = db.session.execute(
        select(Decision.number, Decision.text, Decision.created_dt, Meeting.title, Sector.code)
        .join(Meeting, Meeting.id == Decision.meeting_id).outerjoin(Sector, Sector.id == Meeting.sector_id)
        .where(Decision.conference_id == conference_id, Decision.outcome == "adopted",
               Decision.paragraph_id.is_(None), Decision.agenda_item_id.not_in(roadmap_items))
        .order_by(Decision.number)).all()
    return [{"number": number, "text": text, "adopted_at": utc_text(moment), "meeting": title, "sector": code}
            for number, text, moment, title, code in rows]
