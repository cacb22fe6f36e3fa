"""The demo's draft text: the AURA opening plenary's item on the organisation of work, with one bracketed choice."""
from cop.auth.models import User
from cop.db import db, utcnow
from cop.meetings.demo import PLENARY
from cop.meetings.models import AgendaItem, Meeting
from cop.negotiation.texts.models import Draft
from cop.negotiation.texts.operations import create_draft

ITEM = "Organisation des travaux : groupes de contact par filière"
TITLE = "Projet de décision sur l’organisation des travaux"
BODY = """La Conférence crée un groupe de contact par filière prioritaire, co-animé par deux délégations.

Chaque groupe de contact remet ses conclusions à la plénière [avant le 2 avril 2027 / avant le 9 avril 2027].

Le secrétariat publie la synthèse des engagements mise à jour avant chaque séance plénière.

Les observateurs peuvent être invités à prendre la parole par la présidence de chaque groupe de contact."""


def seed_demo_draft() -> None:
    """Give the plenary's organisation item its draft text once (the caller commits)."""
    meeting = db.session.scalar(db.select(Meeting).filter_by(title=PLENARY))
    item = meeting and db.session.scalar(db.select(AgendaItem).filter_by(meeting_id=meeting.id, title=ITEM))
    if item is None or db.session.scalar(db.select(Draft.id).filter_by(agenda_item_id=item.id)):
        return
    president = db.session.scalar(db.select(User).filter_by(email="presidence@demo.cop.fr"))
    create_draft(president, meeting, item, TITLE, BODY, utcnow())
