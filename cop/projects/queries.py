"""What the public may read of the registry: `public_view` is the only door from a project row to a page,
the API, the open data or the roadmap, and it leaves the hidden content of a sealed project behind."""
from collections import defaultdict
from flask_babel import gettext as _
from sqlalchemy import func, select

from cop.commitments.models import Pledge
from cop.commitments.synthesis import basis
from cop.conferences.models import Party
from cop.db import db
from cop.errors import NotFound
from cop.projects import seal
from cop.projects.models import Project
from cop.reference.models import Indicator


def public_view(project: Project) -> dict:
    """A project as anyone may read it: the hidden fields only once it is public (never sealed, or revealed)."""
    view = {"id": project.id, "number": project.number, "sector": project.sector.code,
            "sector_name": project.sector.name, "party": project.party_id, "party_name": project.party.name,
            "sealed": project.is_sealed, "hidden": project.is_hidden, "seal": project.seal_digest,
            "seal_reason": project.seal_reason, "announce_on": project.announce_on,
            "revealed_at": project.revealed_dt}
    if not project.is_hidden:
        commune = project.commune
        view.update({"name": project.name, "siret": project.siret or "", "description": project.description,
                     "commune": commune.code if commune is not None else "",
                     "commune_name": commune.name if commune is not None else ""})
        if project.is_sealed:
            view["salt"] = project.seal_salt
            view["sealed_text"] = seal.sealed_text(project.seal_salt, seal.content(project))
    return view


def reference(project: Project) -> dict:
    """How a pledge line names its project in the API, the open data and the roadmap: never its hidden content."""
    return {"number": project.number, "sealed": project.is_sealed, "hidden": project.is_hidden,
            "seal": project.seal_digest, "name": None if project.is_hidden else project.name}


def projects(conference) -> list[Project]:
    """The registry of a COP, by number."""
    return list(db.session.scalars(select(Project).filter_by(conference_id=conference.id).order_by(Project.number)))


def get_project(conference, number: int) -> Project:
    """A project of the COP by its number, or a French 404."""
    project = db.session.scalar(select(Project).filter_by(conference_id=conference.id, number=number))
    if project is None:
        raise NotFound("Aucun projet n° %(n)s dans cette COP.", n=number)
    return project


def shares(conference) -> dict[int, list[dict]]:
    """project id → the counted pledge lines naming it: party, indicator, value and declared share (in SQL)."""
    base = basis([conference.id])
    rows = db.session.execute(
        select(Pledge.project_id, Party.name, Indicator, Pledge.unconditional_value, Pledge.project_share)
        .join(base, base.c.version_id == Pledge.version_id).join(Party, Party.id == base.c.party_id)
        .join(Indicator, Indicator.id == Pledge.indicator_id)
        .where(Pledge.project_id.is_not(None)).order_by(Pledge.project_id, Indicator.position, Party.name))
    out: dict[int, list[dict]] = defaultdict(list)
    for project_id, party, indicator, value, share in rows:
        out[project_id].append({"party": party, "indicator": indicator.code, "indicator_name": indicator.name,
                                "value": value, "share": share})
    return out


def choices(conference) -> list[tuple[str, str]]:
    """The projects a pledge line may name, as (id, label) — a sealed one by its number and seal only."""
    query = select(Project).filter_by(conference_id=conference.id).order_by(Project.number)
    return [(str(p.id), label(p)) for p in db.session.scalars(query)]


def label(project: Project) -> str:
    """How a line names a project: its number and name, or its number and the start of its seal."""
    if project.is_hidden:
        return _("Projet n° %(n)s · confidentiel (sceau %(seal)s…)", n=project.number, seal=project.seal_digest[:12])
    return _("Projet n° %(n)s · %(name)s", n=project.number, name=project.name)


def pledged_parties(conference) -> dict[int, int]:
    """project id → how many parties' counted lines name it."""
    base = basis([conference.id])
    return dict(db.session.execute(
        select(Pledge.project_id, func.count(func.distinct(base.c.party_id)))
        .join(base, base.c.version_id == Pledge.version_id).where(Pledge.project_id.is_not(None))
        .group_by(Pledge.project_id)).all())

