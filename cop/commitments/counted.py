"""What the synthesis counts: for each commitment that is not withdrawn, its latest accepted version (`basis`), and
the sums of those versions' lines per COP, filière and indicator (`sums_query`), which `cop.commitments.filing_sums`
keeps in the table filing_sum and the funding, contracts, projects and fair-share pages read beside them."""
from sqlalchemy import func, select, true
from sqlalchemy.orm import aliased

from cop.commitments.models import Commitment, CommitmentVersion, Pledge


def basis(conference_ids, sector_id=None, lateral=False, sector_ids=None):
    """Subquery (version_id, conference_id, party_id, sector_id, is_step_back): the counted versions (of one
    filière when sector_id is given, of several with sector_ids). Both are values, or bind parameters for a
    statement built once.

    With `lateral` (PostgreSQL only), each commitment's latest accepted version is read through its index
    (commitment, status, number), once per commitment: the planner misjudges the correlated max() of the
    default form and scans and hashes every accepted version of the country (about 6 of a COP page's 14 ms
    of SQL, national data set)."""
    if lateral:
        latest = (select(CommitmentVersion.id, CommitmentVersion.is_step_back)
                  .where(CommitmentVersion.commitment_id == Commitment.id, CommitmentVersion.status == "accepted")
                  .order_by(CommitmentVersion.number.desc()).limit(1).lateral("latest"))
        query = (select(latest.c.id.label("version_id"), Commitment.conference_id, Commitment.party_id,
                        Commitment.sector_id, latest.c.is_step_back)
                 .select_from(Commitment).join(latest, true())
                 .where(Commitment.conference_id.in_(conference_ids), Commitment.status != "withdrawn"))
        return _of_sectors(query, sector_id, sector_ids).subquery()
    later = aliased(CommitmentVersion)
    latest_accepted = (select(func.max(later.number))
                       .where(later.commitment_id == Commitment.id, later.status == "accepted").scalar_subquery())
    query = (
        select(CommitmentVersion.id.label("version_id"), Commitment.conference_id, Commitment.party_id,
               Commitment.sector_id, CommitmentVersion.is_step_back)
        .select_from(Commitment).join(CommitmentVersion, CommitmentVersion.commitment_id == Commitment.id)
        .where(Commitment.conference_id.in_(conference_ids), Commitment.status != "withdrawn",
               CommitmentVersion.status == "accepted", CommitmentVersion.number == latest_accepted)
    )
    return _of_sectors(query, sector_id, sector_ids).subquery()


def _of_sectors(query, sector_id, sector_ids):
    """The query limited to one filière, or to several."""
    if sector_id is not None:
        query = query.where(Commitment.sector_id == sector_id)
    if sector_ids is not None:
        query = query.where(Commitment.sector_id.in_(sector_ids))
    return query


def attributed(value):
    """A line's counted part: all of it, or for a line naming a project, the party's declared share of it."""
    return value * Pledge.project_share / 100


def sums_query(base, *leading):
    """The sums of the counted lines per (conference, sector, indicator), from which the synthesis writes unconditional,
    with conditional, parties and double counting avoided. A project pledged by several parties counts once: each
    line counts its share of the project's figure (`attributed`).

    The statement sums the products value × share and leaves the division by 100 to `synthesis._sums` (exact: the same
    figures as summing each line's share), and counts the lines for the parties: a commitment is one party's in
    one filière (unique party, sector) and its counted version has one line per indicator (unique version,
    indicator), so each line of a group is another party's. Without the per-line divisions and the count
    distinct (which sorted the lines), PostgreSQL aggregates by hashing: about 3 of the 7 ms of a COP's sums
    (national data set). `leading`: columns put first (a kind of line, say)."""
    return (
        select(*leading, base.c.conference_id, base.c.sector_id, Pledge.indicator_id,
               func.sum(Pledge.unconditional_value * Pledge.project_share),
               func.sum(Pledge.conditional_value * Pledge.project_share),
               func.count(),
               func.sum(Pledge.unconditional_value))
        .join(base, base.c.version_id == Pledge.version_id)
        .group_by(base.c.conference_id, base.c.sector_id, Pledge.indicator_id)
    )
