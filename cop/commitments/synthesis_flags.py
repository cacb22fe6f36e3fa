"""The synthesis's flags: what the secretariat must look at, each found by one SQL query for all COPs asked."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from cop.commitments.models import Commitment, Pledge, Site
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.projects.models import Project
from cop.reference.models import Indicator, Sector
from cop.territories.models import Commune


@dataclass
class Flags:
    """Lists of names the synthesis page shows under « Points d’attention »."""

    #: Filières with a regional target and no accepted commitment.
    uncovered_sectors: list[str] = field(default_factory=list)
    #: Parties with no filed commitment.
    silent_parties: list[str] = field(default_factory=list)
    #: Sites named by several parties: {"site", "commune", "parties"}.
    shared_sites: list[dict] = field(default_factory=list)
    #: Pledges aiming after the COP's horizon: {"party", "sector", "indicator", "year"}.
    late_pledges: list[dict] = field(default_factory=list)
    #: Commitments counted with a version that steps back: {"party", "sector"}.
    step_backs: list[dict] = field(default_factory=list)
    #: Figures that look counted twice — the same SIRET, or the same commune and filière, in several parties'
    #: lines or sites without a shared project: {"what": "siret" | "place", "label", "parties"}. Sealed projects
    #: are left out (the flag would tell their SIRET or place).
    double_counts: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many flags are raised in all."""
        return sum(len(items) for items in vars(self).values())


def _silent_parties(ids: list[int], flags: dict[int, Flags]) -> None:
    """Parties with no commitment filed (drafts and withdrawals do not count)."""
    filed = select(Commitment.party_id).where(
        Commitment.conference_id.in_(ids), Commitment.status.not_in(("draft", "withdrawn")))
    query = (select(Party.conference_id, Party.name).where(Party.conference_id.in_(ids), Party.id.not_in(filed))
             .order_by(Party.conference_id, Party.name))
    for cid, name in db.session.execute(query):
        flags[cid].silent_parties.append(name)


def _shared_sites(base, flags: dict[int, Flags]) -> None:
    """Sites (same commune, same name) counted in the commitments of two parties or more."""
    key = func.lower(Site.name)
    query = (
        select(base.c.conference_id, func.min(Site.name), Commune.name, Site.commune_id, key)
        .join(base, base.c.version_id == Site.version_id).join(Commune, Commune.id == Site.commune_id)
        .group_by(base.c.conference_id, Site.commune_id, key, Commune.name)
        .having(func.count(func.distinct(base.c.party_id)) > 1)
    )
    for cid, name, commune, commune_id, lowered in db.session.execute(query).all():
        parties = db.session.scalars(
            select(Party.name).distinct().join(base, base.c.party_id == Party.id)
            .join(Site, Site.version_id == base.c.version_id)
            .where(base.c.conference_id == cid, Site.commune_id == commune_id, func.lower(Site.name) == lowered)
            .order_by(Party.name))
        flags[cid].shared_sites.append({"site": name, "commune": commune, "parties": list(parties)})


def _late_pledges(base, flags: dict[int, Flags]) -> None:
    """Counted pledges whose target year is after their COP's horizon."""
    query = (
        select(base.c.conference_id, Party.name, Sector.name, Indicator.name, Pledge.target_year)
        .join(base, base.c.version_id == Pledge.version_id)
        .join(Conference, Conference.id == base.c.conference_id)
        .join(Party, Party.id == base.c.party_id).join(Sector, Sector.id == base.c.sector_id)
        .join(Indicator, Indicator.id == Pledge.indicator_id)
        .where(Pledge.target_year > Conference.horizon_year)
        .order_by(base.c.conference_id, Party.name, Sector.position, Indicator.position)
    )
    for cid, party, sector, indicator, year in db.session.execute(query):
        flags[cid].late_pledges.append({"party": party, "sector": sector, "indicator": indicator, "year": year})


def _step_backs(base, flags: dict[int, Flags]) -> None:
    """Commitments counted with a version that lowers a previous pledge."""
    query = (select(base.c.conference_id, Party.name, Sector.name).join(base, base.c.party_id == Party.id)
             .join(Sector, Sector.id == base.c.sector_id).where(base.c.is_step_back.is_(True))
             .order_by(base.c.conference_id, Party.name, Sector.position))
    for cid, party, sector in db.session.execute(query):
        flags[cid].step_backs.append({"party": party, "sector": sector})


def _public_projects(base):
    """(conference, party, project) of the counted lines naming a project that is not hidden."""
    return (select(base.c.conference_id, base.c.party_id, Project.id.label("project_id"), Project.siret,
                   Project.commune_id, Project.sector_id)
            .join(Pledge, Pledge.version_id == base.c.version_id).join(Project, Project.id == Pledge.project_id)
            .where(db.or_(Project.is_sealed.is_(False), Project.revealed_dt.is_not(None))).subquery())


def _double_counts(base, flags: dict[int, Flags]) -> None:
    """Distinct projects with one SIRET, or one commune and filière, pledged by several parties; and sites of
    several parties in one commune and filière."""
    lines = _public_projects(base)
    several = (func.count(func.distinct(lines.c.project_id)) > 1, func.count(func.distinct(lines.c.party_id)) > 1)
    by_siret = (select(lines.c.conference_id, lines.c.siret, func.count(func.distinct(lines.c.party_id)))
                .where(lines.c.siret.is_not(None)).group_by(lines.c.conference_id, lines.c.siret)
                .having(*several).order_by(lines.c.conference_id, lines.c.siret))
    for cid, siret, parties in db.session.execute(by_siret):
        flags[cid].double_counts.append({"what": "siret", "label": siret, "parties": parties})
    by_place = (select(lines.c.conference_id, Commune.name, Sector.name, func.count(func.distinct(lines.c.party_id)))
                .join(Commune, Commune.id == lines.c.commune_id).join(Sector, Sector.id == lines.c.sector_id)
                .group_by(lines.c.conference_id, Commune.name, Sector.name).having(*several)
                .order_by(lines.c.conference_id, Commune.name, Sector.name))
    sites = (select(base.c.conference_id, Commune.name, Sector.name, func.count(func.distinct(base.c.party_id)))
             .join(Site, Site.version_id == base.c.version_id).join(Commune, Commune.id == Site.commune_id)
             .join(Sector, Sector.id == base.c.sector_id).group_by(base.c.conference_id, Commune.name, Sector.name)
             .having(func.count(func.distinct(base.c.party_id)) > 1)
             .order_by(base.c.conference_id, Commune.name, Sector.name))
    seen = set()
    for query in (by_place, sites):
        for cid, commune, sector, parties in db.session.execute(query):
            if (cid, commune, sector) not in seen:
                seen.add((cid, commune, sector))
                flags[cid].double_counts.append({"what": "place", "label": f"{commune} · {sector}",
                                                 "parties": parties})


def compute_flags(conferences: list[Conference], base, rows: dict) -> dict[int, Flags]:
    """Every flag of each COP's synthesis: conference id → Flags."""
    ids = [c.id for c in conferences]
    flags = {cid: Flags() for cid in ids}
    for cid in ids:
        served = {row.sector.id for row in rows[cid] if row.parties}
        uncovered = {r.sector.id: r.sector for r in rows[cid] if r.target is not None and r.sector.id not in served}
        flags[cid].uncovered_sectors = [s.name for s in sorted(uncovered.values(), key=lambda s: s.position)]
    _silent_parties(ids, flags)
    _shared_sites(base, flags)
    _late_pledges(base, flags)
    _step_backs(base, flags)
    _double_counts(base, flags)
    return flags
