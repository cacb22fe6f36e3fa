"""What a project's seal hides: its name, SIRET, commune and description (the mechanism is cop/seals/).

A project keeps its hidden content in its own columns; `queries.public_view` is the only door from a project row
to a page, the API, the open data or the roadmap, and leaves that content behind while the project is sealed.
"""
from flask_babel import gettext as _

from cop.db import db
from cop.projects.models import Project
from cop.seals.digest import digest, sealed_text  # noqa: F401  (the project's seal is the shared one)
from cop.seals.kinds import Kind


def content(project) -> dict:
    """The hidden part of a project: name, SIRET, commune (INSEE code and name) and description."""
    commune = project.commune
    return {"name": project.name, "siret": project.siret or "",
            "commune": {"code": commune.code, "name": commune.name} if commune is not None else None,
            "description": project.description or ""}


def matches(project) -> bool:
    """True when the project's content, with its salt, still hashes to its published seal."""
    from cop.seals.digest import matches as _matches

    return _matches(project, content(project))


KIND = Kind(code="project", slug="projet", table="project", model=Project, ref_column="number", content=content,
            vaulted=False, unpublished=lambda p: p.id is None or p in db.session.new,
            title=lambda p: _("Projet confidentiel n° %(n)s", n=p.number) if p.is_hidden
            else _("Projet n° %(n)s · %(name)s", n=p.number, name=p.name),
            page=lambda p: ("projects.show", {"conference_id": p.conference_id, "number": p.number}))
