"""Registering, sealing, revealing and reading the projects of a COP (each a state change the caller commits)."""
from datetime import date, datetime
from typing import Optional

from cop.audit.services import record
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.errors import Invalid
from cop.projects.models import Project
from cop.reference.models import Sector
from cop.rulebook import allowed
from cop.seals import operations as seals
from cop.territories import lookup

#: How long before its announcement date the party is warned that the presidency will reveal its project.
NOTICE = seals.NOTICE


def siret_valid(siret: str) -> bool:
    """Fourteen digits passing the Luhn check (La Poste's establishments: digits summing to a multiple of 5)."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith("356000000"):
        return sum(int(d) for d in siret) % 5 == 0
    total = 0
    for index, digit in enumerate(int(d) for d in reversed(siret)):
        doubled = digit * 2 if index % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _checked_siret(text: str) -> Optional[str]:
    """The SIRET without spaces, None when not given; Invalid when it fails its check."""
    siret = "".join((text or "").split())
    if not siret:
        return None
    if not siret_valid(siret):
        raise Invalid("Le SIRET « %(siret)s » n’est pas valide (14 chiffres, clé de contrôle).", siret=siret)
    return siret


def register(user, party: Party, *, sector_code: str, name: str, siret: str = "", commune: str = "",
             description: str = "", sealed: bool = False, reason: str = "",
             announce_on: Optional[date] = None) -> Project:
    """Add a project to the COP's registry for the party, sealed when it is confidential."""
    allowed("project.register", user, party)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise Invalid("Le nom du projet est obligatoire (200 caractères au plus).")
    sector = db.session.scalar(db.select(Sector).filter_by(code=sector_code))
    if sector is None:
        raise Invalid("Filière inconnue : « %(code)s ».", code=sector_code)
    conference = party.conference
    number = (db.session.scalar(db.select(db.func.max(Project.number)).filter_by(conference_id=conference.id))
              or 0) + 1
    project = Project(conference_id=conference.id, number=number, party=party, party_id=party.id,
                      sector_id=sector.id, name=name, siret=_checked_siret(siret),
                      description=(description or "").strip(),
                      commune=lookup.find_commune(commune) if (commune or "").strip() else None)
    db.session.add(project)
    if sealed:
        seals.seal(user, project, reason, announce_on)
    db.session.flush()
    record("project.registered", "project", project.id, actor=user, conference_id=conference.id,
           data=audit_data(project))
    return project


def audit_data(project: Project) -> dict:
    """What the public audit chain may hold of a project: its number, and its seal or its name."""
    if project.is_hidden:
        return {"number": project.number, "sealed": True, "seal": project.seal_digest}
    return {"number": project.number, "sealed": project.is_sealed, "seal": project.seal_digest, "name": project.name}


def publish(project: Project, actor, now: datetime) -> Project:
    """Publish the content; it must still hash to the seal published since registration (cop/seals)."""
    seals.publish(project, actor, now)
    return project


def reveal(user, project: Project) -> Project:
    """The party announces its project: the content is published and checkable against the seal."""
    seals.reveal(user, project)
    return project


def reveal_due(user, project: Project, now: Optional[datetime] = None) -> Project:
    """The presidency reveals a project at its announcement date, once the party was warned."""
    seals.reveal_due(user, project, now)
    return project


def read_sealed(user, project: Project) -> dict:
    """The hidden content, for the party and those the rules of procedure name; every read is audited."""
    return seals.read_sealed(user, project)


def hidden_projects(conference: Optional[Conference] = None) -> list[Project]:
    """Sealed projects not yet revealed (of one COP, or of all), by announcement date."""
    query = db.select(Project).where(Project.is_sealed.is_(True), Project.revealed_dt.is_(None))
    if conference is not None:
        query = query.where(Project.conference_id == conference.id)
    return list(db.session.scalars(query.order_by(Project.announce_on, Project.id)))
