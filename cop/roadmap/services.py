"""The roadmap's state changes: generate a draft, frame a chapter, submit it to the plenary, adopt, sign."""
from typing import Optional

from sqlalchemy import insert
from sqlalchemy.orm.exc import StaleDataError

from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import Conference
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid, NotFound
from cop.reference.models import Sector
from cop.roadmap import consolidate, queries
from cop.roadmap.models import ChapterFraming, Roadmap, RoadmapCommitment, RoadmapVersion
from cop.rulebook import allowed, require
from cop.rulebook.states import object_allows

MAX_FRAMING = 20_000


def roadmap_of(conference: Conference) -> Optional[Roadmap]:
    """The conference's roadmap, or None before the first draft."""
    return db.session.scalar(db.select(Roadmap).filter_by(conference_id=conference.id))


def latest(roadmap: Optional[Roadmap], *states: str) -> Optional[RoadmapVersion]:
    """The newest version (in one of the states when given)."""
    versions = [v for v in (roadmap.versions if roadmap else []) if not states or v.state in states]
    return versions[-1] if versions else None


def generate_draft(user: User, conference: Conference) -> RoadmapVersion:
    """Consolidate a new numbered draft from the accepted commitments and the adopted decisions."""
    allowed("roadmap.generate", user, conference)
    roadmap = roadmap_of(conference)
    if roadmap is None:
        roadmap = Roadmap(conference_id=conference.id)
        db.session.add(roadmap)
        db.session.flush()
    previous = latest(roadmap)
    framings = queries.framings(previous.id if previous else None)
    content, links = consolidate.build(conference, framings)
    version = RoadmapVersion(roadmap=roadmap, number=(previous.number + 1) if previous else 1,
                             generated_by_id=user.id, generated_dt=utcnow(), content=content)
    db.session.add(version)
    db.session.flush()
    sectors = dict(db.session.execute(db.select(Sector.code, Sector.id)).all())
    db.session.add_all([ChapterFraming(version_id=version.id, sector_id=sectors[code], text=text, updated_by_id=user.id)
                        for code, text in framings.items() if text])
    if links:
        db.session.execute(insert(RoadmapCommitment), [
            {"version_id": version.id, "commitment_version_id": cv, "party_id": party} for cv, party in links])
    db.session.flush()
    record("roadmap.draft_generated", "roadmap_version", version.id, actor=user, conference_id=conference.id,
                 data={"number": version.number, "chapters": len(content["chapters"])})
    return version


def set_framing(user: User, version: RoadmapVersion, sector: Sector, text: str,
                expected: Optional[int] = None) -> RoadmapVersion:
    """Write the framing text of one chapter of a draft (Markdown), refusing a stale copy."""
    conference = version.roadmap.conference
    allowed("roadmap.frame", user, conference)
    if expected is not None and expected != version.lock_version:
        raise Conflict("Cette version a été modifiée depuis que vous l’avez ouverte (un autre cadrage ou son "
                       "inscription à l’ordre du jour) : rechargez la page, votre texte n’a pas été enregistré.")
    require(object_allows("roadmap.frame", version))
    text = (text or "").strip()
    if len(text) > MAX_FRAMING:
        raise Invalid("Le cadrage compte %(n)s caractères au plus.", n=MAX_FRAMING)
    chapters = [dict(c) for c in version.content["chapters"]]
    chapter = next((c for c in chapters if c["sector"] == sector.code), None)
    if chapter is None:
        raise NotFound("La feuille de route n’a pas de chapitre « %(name)s ».", name=sector.name)
    chapter["framing"] = text
    version.content = {**version.content, "chapters": chapters}
    framing = db.session.scalar(db.select(ChapterFraming).filter_by(version_id=version.id, sector_id=sector.id))
    if framing is None:
        framing = ChapterFraming(version_id=version.id, sector_id=sector.id)
        db.session.add(framing)
    framing.text, framing.updated_by_id, framing.updated_dt = text, user.id, utcnow()
    flush_or_conflict()
    return version


def flush_or_conflict() -> None:
    """Flush, turning a concurrent write of the same version into a conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("La feuille de route a été modifiée au même moment par une autre personne : "
                       "rechargez la page.") from None
