"""The rows a roadmap is consolidated from: a handful of set-based queries per conference, never one per party."""
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from cop.commitments.models import Commitment, CommitmentVersion, Pledge, Site, SupportRequest
from cop.conferences.models import Party, Target
from cop.db import db
from cop.reference.models import Indicator, Sector
from cop.roadmap.models import ChapterFraming
from cop.territories.models import Commune, Territory


def accepted_versions(conference_id: int):
    """Subquery: the latest accepted version of every commitment of the COP that was not withdrawn."""
    inner = aliased(CommitmentVersion)
    latest = (select(func.max(inner.number)).where(inner.commitment_id == CommitmentVersion.commitment_id,
                                                    inner.status == "accepted").scalar_subquery())
    return (select(CommitmentVersion.id.label("version_id"), Commitment.party_id, Commitment.sector_id,
                   CommitmentVersion.number, Commitment.id.label("commitment_id"))
            .join(Commitment, Commitment.id == CommitmentVersion.commitment_id)
            .where(Commitment.conference_id == conference_id, Commitment.status != "withdrawn",
                   CommitmentVersion.status == "accepted", CommitmentVersion.number == latest)
            .subquery())


def parties(conference_id: int) -> list:
    """Every party with its territory's code and population."""
    return db.session.execute(
        select(Party.id, Party.name, Party.kind, Party.accreditation, Territory.code, Territory.population)
        .outerjoin(Territory, Territory.id == Party.territory_id)
        .where(Party.conference_id == conference_id).order_by(Party.name, Party.id)).all()


def targets(conference_id: int) -> list:
    """Regional targets with their filière and indicator codes."""
    return db.session.execute(
        select(Sector.code.label("sector"), Indicator.code.label("indicator"), Target.year, Target.value)
        .join(Sector, Sector.id == Target.sector_id).join(Indicator, Indicator.id == Target.indicator_id)
        .where(Target.conference_id == conference_id).order_by(Sector.position, Indicator.position, Target.year)
    ).all()


def pledges(accepted) -> list:
    """Every pledge of the accepted versions, with party, filière and indicator."""
    return db.session.execute(
        select(Sector.code.label("sector"), Indicator.code.label("indicator"), accepted.c.party_id.label("party"),
               accepted.c.commitment_id.label("commitment"), accepted.c.number, Pledge.reference_year,
               Pledge.reference_value, Pledge.target_year, Pledge.unconditional_value.label("unconditional"),
               Pledge.conditional_value.label("conditional"), Pledge.id.label("pledge_id"),
               Pledge.project_id.label("project"), Pledge.project_share.label("share"))
        .join(accepted, accepted.c.version_id == Pledge.version_id)
        .join(Sector, Sector.id == accepted.c.sector_id).join(Indicator, Indicator.id == Pledge.indicator_id)
        .order_by(Sector.position, Indicator.position, accepted.c.party_id)).all()


def supports(accepted) -> list:
    """Every support request of the accepted versions."""
    return db.session.execute(
        select(Sector.code.label("sector"), accepted.c.party_id, SupportRequest.funder, SupportRequest.amount,
               SupportRequest.purpose)
        .join(accepted, accepted.c.version_id == SupportRequest.version_id)
        .join(Sector, Sector.id == accepted.c.sector_id)
        .order_by(Sector.position, SupportRequest.funder, accepted.c.party_id, SupportRequest.position)).all()


def sites(accepted) -> list:
    """Every site of the accepted versions, with its commune."""
    return db.session.execute(
        select(Sector.code.label("sector"), accepted.c.party_id, Site.name, Commune.code.label("commune_code"),
               Commune.name.label("commune_name"), Site.hectares, Site.kind, Site.status)
        .join(accepted, accepted.c.version_id == Site.version_id)
        .join(Sector, Sector.id == accepted.c.sector_id).join(Commune, Commune.id == Site.commune_id)
        .order_by(Sector.position, accepted.c.party_id, Site.position)).all()


def version_links(accepted) -> list:
    """(commitment version id, party id) of every accepted version consolidated."""
    return db.session.execute(select(accepted.c.version_id, accepted.c.party_id)).all()


def step_backs(conference_id: int) -> list:
    """Published versions that lowered a pledge, with their justification."""
    return db.session.execute(
        select(Commitment.party_id, Sector.code.label("sector"), CommitmentVersion.number,
               CommitmentVersion.justification)
        .join(Commitment, Commitment.id == CommitmentVersion.commitment_id)
        .join(Sector, Sector.id == Commitment.sector_id)
        .where(Commitment.conference_id == conference_id, CommitmentVersion.is_step_back.is_(True),
               CommitmentVersion.status != "draft")
        .order_by(Sector.position, Commitment.party_id, CommitmentVersion.number)).all()


def silent_parties(conference_id: int) -> list[int]:
    """Ids of the parties that filed nothing (no commitment past the draft stage)."""
    filed = select(Commitment.id).where(Commitment.party_id == Party.id, Commitment.status != "draft")
    return list(db.session.scalars(
        select(Party.id).where(Party.conference_id == conference_id, ~filed.exists()).order_by(Party.name)))


def sectors_and_indicators() -> tuple[dict, dict]:
    """The catalogue by code: filières (name, position) and indicators (name, unit, decimals, position)."""
    sectors = {code: (name, position) for code, name, position in
               db.session.execute(select(Sector.code, Sector.name, Sector.position))}
    indicators = {row[0]: tuple(row[1:]) for row in db.session.execute(
        select(Indicator.code, Indicator.name, Indicator.unit, Indicator.decimals, Indicator.position))}
    return sectors, indicators


def framings(version_id) -> dict[str, str]:
    """Framing texts of a version, by filière code."""
    if version_id is None:
        return {}
    return dict(db.session.execute(
        select(Sector.code, ChapterFraming.text).join(Sector, Sector.id == ChapterFraming.sector_id)
        .where(ChapterFraming.version_id == version_id)).all())
