"""Read-only queries of the portal: what a citizen may see, aggregated in SQL."""
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from cop.commitments import synthesis
from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector, Pledge
from cop.conferences.models import Conference, Party
from cop.conferences import party_search
from cop.db import db
from cop.meetings.models import FloorRequest, Meeting
from cop.pagination import page_of
from cop.reference.models import Sector
from cop.territories.models import Territory

PUBLIC = Commitment.status != "draft"


@dataclass
class Headline:
    """The figures shown beside a COP on the home page and at the top of its page."""

    parties: int = 0
    filing_parties: int = 0
    commitments: int = 0
    accepted: int = 0
    population: int = 0


def headlines(conference_ids: list[int] | None = None) -> dict[int, Headline]:
    """conference id → its headline figures, in two queries for every COP at once (or for those given)."""
    out: dict[int, Headline] = {}
    parties, commitments = Party.conference_id.is_not(None), PUBLIC
    if conference_ids is not None:
        parties, commitments = Party.conference_id.in_(conference_ids), PUBLIC & Commitment.conference_id.in_(
            conference_ids)
    rows = db.session.execute(
        select(Party.conference_id, func.count(Party.id),
               func.sum(case((Territory.kind == "epci", Territory.population), else_=0)))
        .outerjoin(Territory, Territory.id == Party.territory_id).where(parties).group_by(Party.conference_id))
    for conference_id, parties, population in rows:
        out[conference_id] = Headline(parties=parties, population=int(population or 0))
    rows = db.session.execute(
        select(Commitment.conference_id, func.count(Commitment.id),
               func.count(func.distinct(Commitment.party_id)),
               func.sum(case((Commitment.status == "accepted", 1), else_=0)))
        .where(commitments).group_by(Commitment.conference_id))
    for conference_id, commitments, filing, accepted in rows:
        item = out.setdefault(conference_id, Headline())
        item.commitments, item.filing_parties, item.accepted = commitments, filing, int(accepted or 0)
    return out


def regions_with_conferences() -> list[tuple[Territory, list[Conference]]]:
    """Every region, with its COPs, newest edition first."""
    regions = db.session.scalars(select(Territory).filter_by(kind="region").order_by(Territory.search_name)).all()
    conferences = db.session.scalars(
        select(Conference).order_by(Conference.edition_year.desc(), Conference.title)).all()
    by_region: dict[int, list[Conference]] = {}
    for conference in conferences:
        by_region.setdefault(conference.region_id, []).append(conference)
    return [(region, by_region.get(region.id, [])) for region in regions]


def conference_figures(conference: Conference) -> tuple[dict, Headline, dict[int, int]]:
    """A COP's synthesis coverage, its headline figures and party id → number of its published commitments, in one
    statement: a line per party (its EPCI population, its published, accepted and filed commitments), summed here.
    The figures are those of `synthesis.coverage` and `headlines` (two statements when read apart, five before)."""
    epci_population = case((Territory.kind == "epci", Territory.population), else_=0)
    lines = db.session.execute(
        select(Party.id, epci_population, func.count(Commitment.id),
               func.sum(case((Commitment.status == "accepted", 1), else_=0)),
               func.sum(case((Commitment.status.not_in(("draft", "withdrawn")), 1), else_=0)))
        .outerjoin(Territory, Territory.id == Party.territory_id)
        .outerjoin(Commitment, (Commitment.party_id == Party.id) & (Commitment.conference_id == Party.conference_id)
                   & PUBLIC)
        .where(Party.conference_id == conference.id).group_by(Party.id, Territory.kind, Territory.population)).all()
    filed, filing, population, everyone, accepted = {}, 0, 0, 0, 0
    for party_id, people, published, accepted_here, filed_here in lines:
        people = int(people or 0)
        everyone += people
        if published:
            filed[party_id] = published
            accepted += int(accepted_here or 0)
        if filed_here:
            filing, population = filing + 1, population + people
    counts = {conference.id: (len(lines), filing, population, everyone)} if lines else {}
    coverage = synthesis.coverage_from_counts(conference, counts)
    head = Headline(parties=len(lines), filing_parties=len(filed), commitments=sum(filed.values()),
                    accepted=accepted, population=everyone)
    return coverage, head, filed


def parties_page(conference: Conference, page: int, per_page: int = 25, filters=None, parties: int | None = None):
    """A COP's parties, by name, one page at a time, narrowed by the list's filters (`party_search`). `parties`:
    how many parties the COP has, when the caller counted them already (the total of the list unfiltered)."""
    query = select(Party).where(Party.conference_id == conference.id)
    if filters is not None and filters.as_args():
        query, parties = party_search.apply(query, conference, filters), None
    query = query.order_by(Party.name, Party.id).options(joinedload(Party.territory))  # in the same statement
    return page_of(query, page, per_page, total=parties)


def territory_parties(territory: Territory) -> list[Party]:
    """The parties a territory is, one per COP, newest edition first."""
    return list(db.session.scalars(
        select(Party).join(Conference, Conference.id == Party.conference_id)
        .where(Party.territory_id == territory.id).order_by(Conference.edition_year.desc())))


def public_commitments_of(party_ids: list[int], page: int, per_page: int = 20):
    """The published commitments of some parties, one page at a time."""
    query = (select(Commitment).join(Sector, Sector.id == Commitment.sector_id)
             .where(Commitment.party_id.in_(party_ids or [0]), PUBLIC)
             .options(selectinload(Commitment.sector), selectinload(Commitment.party),
                      selectinload(Commitment.versions).selectinload(CommitmentVersion.pledges)
                      .selectinload(Pledge.indicator))
             .order_by(Commitment.conference_id.desc(), Sector.position))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def latest_versions(commitment_ids: list[int], with_pledges: bool = False) -> dict[int, CommitmentVersion]:
    """commitment id → its latest published version, in one query (two more with their pledges and indicators,
    instead of one per version shown)."""
    latest = (select(CommitmentVersion.commitment_id, func.max(CommitmentVersion.number).label("number"))
              .where(CommitmentVersion.commitment_id.in_(commitment_ids or [0]),
                     CommitmentVersion.status != "draft")
              .group_by(CommitmentVersion.commitment_id).subquery())
    query = select(CommitmentVersion).join(latest, (latest.c.commitment_id == CommitmentVersion.commitment_id)
                                           & (latest.c.number == CommitmentVersion.number))
    if with_pledges:
        query = query.options(selectinload(CommitmentVersion.pledges).selectinload(Pledge.indicator))
    return {version.commitment_id: version for version in db.session.scalars(query)}


def priorities_of(party_ids: list[int]) -> dict[int, list[PartyPrioritySector]]:
    """party id → its priority filières, in the filières' order."""
    rows = db.session.scalars(
        select(PartyPrioritySector).join(Sector, Sector.id == PartyPrioritySector.sector_id)
        .where(PartyPrioritySector.party_id.in_(party_ids or [0])).order_by(Sector.position)
        .options(selectinload(PartyPrioritySector.sector)))
    out: dict[int, list[PartyPrioritySector]] = {}
    for row in rows:
        out.setdefault(row.party_id, []).append(row)
    return out


def public_meetings(conference_id: int, page: int, per_page: int = 20):
    """A COP's public meetings, in date order, one page at a time."""
    query = (select(Meeting).where(Meeting.conference_id == conference_id, Meeting.is_public)
             .order_by(Meeting.starts_dt, Meeting.id))
    return page_of(query, page, per_page)


def speaking_record(party_ids: list[int]) -> list[dict]:
    """Per public meeting, how often the parties took the floor and for how long (finished turns only)."""
    rows = db.session.execute(
        select(Meeting, func.count(FloorRequest.id), func.sum(FloorRequest.spoken_seconds))
        .join(FloorRequest, FloorRequest.meeting_id == Meeting.id)
        .where(FloorRequest.party_id.in_(party_ids or [0]), FloorRequest.state == "done", Meeting.is_public)
        .group_by(Meeting.id).order_by(Meeting.starts_dt))
    return [{"meeting": meeting, "turns": turns, "seconds": int(seconds or 0)} for meeting, turns, seconds in rows]


def signatures_of(party_ids: list[int]) -> list:
    """(signature, version, conference id) of the parties on adopted roadmap versions, newest first."""
    from cop.roadmap.models import FROZEN_STATES, Roadmap, RoadmapVersion, Signature

    return db.session.execute(
        select(Signature, RoadmapVersion, Roadmap.conference_id)
        .join(RoadmapVersion, RoadmapVersion.id == Signature.version_id)
        .join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
        .where(Signature.party_id.in_(party_ids or [0]), RoadmapVersion.state.in_(FROZEN_STATES))
        .order_by(Signature.signed_dt.desc())).all()


def progress_of(party_ids: list[int], page: int, per_page: int = 20):
    """The parties' progress reports, latest year first, one page at a time."""
    from cop.followup.models import ProgressReport

    query = (select(ProgressReport).where(ProgressReport.party_id.in_(party_ids or [0]))
             .options(selectinload(ProgressReport.pledge).selectinload(Pledge.indicator),
                      selectinload(ProgressReport.commitment).selectinload(Commitment.sector))
             .order_by(ProgressReport.year.desc(), ProgressReport.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def decisions_page(conference_id: int, page: int, per_page: int = 20):
    """A COP's decisions in order, one page at a time."""
    from cop.negotiation.decisions.models import Decision

    query = (select(Decision).where(Decision.conference_id == conference_id)
             .options(selectinload(Decision.meeting)).order_by(Decision.number))
    return page_of(query, page, per_page)


def adopted_roadmap(conference_id: int):
    """The COP's adopted roadmap version in force, or None."""
    from cop.roadmap.models import Roadmap, RoadmapVersion

    return db.session.scalar(
        select(RoadmapVersion).join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
        .where(Roadmap.conference_id == conference_id, RoadmapVersion.state == "adopted")
        .order_by(RoadmapVersion.number.desc()).limit(1))
