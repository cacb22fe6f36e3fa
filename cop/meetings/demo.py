"""Demo meetings of the AURA COP: a public opening plenary with its agenda, and a closed contact group."""
from datetime import datetime, timezone

from cop.auth.models import User
from cop.conferences.models import Conference
from cop.db import db
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.services import schedule_meeting
from cop.reference.models import Sector
from cop.territories.models import Territory

PLENARY = "Plénière d’ouverture de la négociation"
CONTACT_GROUP = "Groupe de contact — Industrie électronique"
PLENARY_AGENDA = (
    ("Ouverture de la séance et adoption de l’ordre du jour", ""),
    ("Présentation de la synthèse du secrétariat", "Écart entre les engagements déposés et les objectifs 2030."),
    ("Organisation des travaux : groupes de contact par filière", ""),
    ("Déclarations des délégations", "Trois minutes par délégation, motions d’ordre en priorité."),
    ("Questions diverses", ""),
)
CONTACT_AGENDA = (
    ("Écart d’ambition sur les emplois créés", ""),
    ("Foncier prêt à l’emploi et friches", ""),
)


def _user(email: str) -> User:
    """A demo account by e-mail."""
    return db.session.scalar(db.select(User).filter_by(email=email))


def _agenda(meeting: Meeting, items) -> None:
    """Number the agenda of a new meeting."""
    for position, (title, description) in enumerate(items, start=1):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title, description=description))


def seed_demo_meetings() -> None:
    """Schedule the demo meetings once (the caller commits); they sit when the COP reaches negotiation."""
    region = db.session.scalar(db.select(Territory).filter_by(kind="region", code="84"))
    conference = db.session.scalar(db.select(Conference).filter_by(region_id=region.id, edition_year=2027))
    if conference is None or db.session.scalar(db.select(Meeting).filter_by(conference_id=conference.id)):
        return
    president = _user("presidence@demo.cop.fr")
    plenary = schedule_meeting(president, conference, kind="plenary", title=PLENARY, chair=president, is_public=True,
                               starts_dt=datetime(2027, 3, 22, 8, 30, tzinfo=timezone.utc),
                               place="Hôtel de Région, Lyon — hémicycle")
    _agenda(plenary, PLENARY_AGENDA)
    sector = db.session.scalar(db.select(Sector).filter_by(code="electronique"))
    group = schedule_meeting(president, conference, kind="contact_group", title=CONTACT_GROUP,
                             chair=_user("secretariat@demo.cop.fr"), sector_id=sector.id if sector else None,
                             starts_dt=datetime(2027, 3, 23, 13, 0, tzinfo=timezone.utc),
                             place="Hôtel de Région, Lyon — salle 3",
                             cofacilitators=(_user("grenoble@demo.cop.fr"), _user("clermont@demo.cop.fr")))
    _agenda(group, CONTACT_AGENDA)
    db.session.flush()
