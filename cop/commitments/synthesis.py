"""The secretariat's synthesis: accepted pledges against the regional targets, aggregated in SQL.

The basis of every figure is, for each commitment that is not withdrawn, its latest accepted version.
Sums and counts are GROUP BY queries over that basis, grouped by conference too, so that one region or
all eighteen cost the same dozen statements; Python only merges the aggregated rows with the targets
and the reference names.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from sqlalchemy import bindparam, case, func, literal_column, null, select, union_all

from cop.commitments import filing_sums
from cop.commitments.counted import attributed, basis  # noqa: F401  (basis: imported from here by other modules)
from cop.commitments.models import Commitment, FilingSum, Pledge, SupportRequest
from cop.commitments.synthesis_flags import Flags, compute_flags
from cop.conferences.models import Conference, Party, Target
from cop.db import db
from cop.reference.models import Indicator, Sector
from cop.territories.models import Territory

TOP = 3
CENT = Decimal("0.01")


@dataclass
class Row:
    """One filière × indicator line of the synthesis."""

    sector: Sector
    indicator: Indicator
    target: Optional[Decimal]
    target_year: Optional[int]
    unconditional: Decimal
    conditional: Decimal
    parties: int
    #: What the lines naming a shared project would have added had each counted the project whole.
    avoided: Decimal = Decimal(0)

    @property
    def gap_unconditional(self) -> Optional[Decimal]:
        """Target minus unconditional pledges (negative when the pledges exceed it)."""
        return None if self.target is None else self.target - self.unconditional

    @property
    def gap_conditional(self) -> Optional[Decimal]:
        """Target minus pledges including their conditional parts."""
        return None if self.target is None else self.target - self.conditional


@dataclass
class Synthesis:
    """Everything the synthesis page and the API show for one COP."""

    conference: Conference
    rows: list[Row] = field(default_factory=list)
    coverage: dict = field(default_factory=dict)
    top: dict[int, list[dict]] = field(default_factory=dict)
    support: list[dict] = field(default_factory=list)
    flags: Flags = field(default_factory=Flags)


def _money(value) -> Decimal:
    """A sum from the database as a Decimal rounded to the cent."""
    return Decimal(str(value or 0)).quantize(CENT)


def _kept_sums(conference_ids, sector_id=None, *leading):
    """The sums kept in filing_sum (`cop.commitments.filing_sums`) of those COPs (of one filière when sector_id is
    given), in the columns of `counted.sums_query`: (conference, sector, indicator, Σ unconditional × share,
    Σ conditional × share, lines, Σ unconditional). `leading`: columns put first."""
    query = select(*leading, FilingSum.conference_id, FilingSum.sector_id, FilingSum.indicator_id,
                   FilingSum.unconditional_share, FilingSum.conditional_share, FilingSum.lines,
                   FilingSum.unconditional_whole).where(FilingSum.conference_id.in_(conference_ids))
    if sector_id is not None:
        query = query.where(FilingSum.sector_id == sector_id)
    return query


def _sums(query, params: Optional[dict] = None) -> dict[tuple[int, int, int], tuple]:
    """(conference, sector, indicator) → (unconditional, with conditional, parties, double counting avoided), read
    with a `_kept_sums`."""
    out = {}
    for c, s, i, unconditional, conditional, n, whole in db.session.execute(query, params):
        unconditional, conditional = _exact(unconditional) / 100, _exact(conditional) / 100
        out[c, s, i] = (_money(unconditional), _money(unconditional + conditional), n,
                        _money(_exact(whole) - unconditional))
    return out


def _exact(value) -> Decimal:
    """A sum from the database as a Decimal, unrounded."""
    return Decimal(str(value or 0))


def _targets_query(conference_ids, sector_id=None):
    """The targets of those conferences (of one filière when sector_id is given), by year: the latest comes last."""
    query = (select(Target.conference_id, Target.sector_id, Target.indicator_id, Target.value, Target.year)
             .where(Target.conference_id.in_(conference_ids)).order_by(Target.year))
    if sector_id is not None:
        query = query.where(Target.sector_id == sector_id)
    return query


def _targets(query, params: Optional[dict] = None) -> dict[tuple[int, int, int], tuple[Decimal, int]]:
    """(conference, sector, indicator) → (value, year) of the latest-year target, read with a `_targets_query`."""
    return {(c, s, i): (_money(v), y) for c, s, i, v, y in db.session.execute(query, params)}


@lru_cache(maxsize=2)
def _one_cop_query(one_sector: bool):
    """`rows_of`'s statement, built once per process with parameters (`ids`, and `sector_id` when `one_sector`):
    building it took more CPU than running it. The sums kept (`_kept_sums`) and the targets come in one statement,
    one round trip: a UNION ALL whose first column tells a sum (0) from a target (1); a target's value and year come
    where a sum's unconditional and count do."""
    ids = bindparam("ids", expanding=True)
    sector_id = bindparam("sector_id") if one_sector else None
    sums = _kept_sums(ids, sector_id, literal_column("0"))
    targets = (select(literal_column("1"), Target.conference_id, Target.sector_id, Target.indicator_id, Target.value,
                      null(), Target.year, null())
               .where(Target.conference_id.in_(ids)))
    if sector_id is not None:
        targets = targets.where(Target.sector_id == sector_id)
    return union_all(sums, targets)


def _sums_and_targets(query, params: dict) -> tuple[dict, dict]:
    """What `_sums` and `_targets` read, from a `_one_cop_query`: (conference, sector, indicator) → sums, and →
    (value, year) of its latest-year target (unique per year; the UNION has no order, so the latest is kept here)."""
    sums, targets = {}, {}
    for kind, c, s, i, unconditional, conditional, n, whole in db.session.execute(query, params):
        if kind == 0:
            unconditional, conditional = _exact(unconditional) / 100, _exact(conditional) / 100
            sums[c, s, i] = (_money(unconditional), _money(unconditional + conditional), n,
                             _money(_exact(whole) - unconditional))
        elif (c, s, i) not in targets or targets[c, s, i][1] < n:
            targets[c, s, i] = (_money(unconditional), n)
    return sums, targets


def _rows(conference_ids: list[int], sums: dict, targets: dict,
          sectors: Optional[list[Sector]] = None) -> dict[int, list[Row]]:
    """Merge the sums with the targets, per conference, in the filières' and indicators' order (`sectors`: every
    filière, read here when not given)."""
    sectors = {s.id: s for s in (db.session.scalars(select(Sector)) if sectors is None else sectors)}
    indicators = {i.id: i for i in db.session.scalars(select(Indicator))}
    out: dict[int, list[Row]] = {cid: [] for cid in conference_ids}
    for key in sums.keys() | targets.keys():
        unconditional, conditional, parties, avoided = sums.get(key, (Decimal(0), Decimal(0), 0, Decimal(0)))
        target, year = targets.get(key, (None, None))
        out[key[0]].append(Row(sectors[key[1]], indicators[key[2]], target, year, unconditional, conditional,
                               parties, avoided))
    for rows in out.values():
        rows.sort(key=lambda r: (r.sector.position, r.indicator.position))
    return out


def _coverage_counts(conference_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """conference id → (parties, parties that filed, population of the EPCI that filed, population of every EPCI
    party), in one statement."""
    filed = select(Commitment.party_id).where(
        Commitment.conference_id.in_(conference_ids), Commitment.status.not_in(("draft", "withdrawn"))
    ).distinct().subquery()
    epci_population = case((Territory.kind == "epci", Territory.population), else_=0)
    counts = db.session.execute(
        select(Party.conference_id, func.count(Party.id), func.count(filed.c.party_id),
               func.sum(case((filed.c.party_id.is_not(None), epci_population), else_=0)), func.sum(epci_population))
        .outerjoin(filed, filed.c.party_id == Party.id).outerjoin(Territory, Territory.id == Party.territory_id)
        .where(Party.conference_id.in_(conference_ids)).group_by(Party.conference_id)
    )
    return {cid: (total, filing, int(population or 0), int(everyone or 0))
            for cid, total, filing, population, everyone in counts}


def _coverage(conference_ids: list[int], regions: dict[int, int] | None = None,
              counts: dict[int, tuple] | None = None) -> dict[int, dict]:
    """Share of parties that filed, and share of the region's population (of EPCI parties) they hold
    (`regions`: conference id → its region's population, read here when not given; `counts`: `_coverage_counts`,
    read here when not given)."""
    if counts is None:
        counts = _coverage_counts(conference_ids)
    if regions is None:
        regions = dict(db.session.execute(select(Conference.id, Territory.population)
                                          .join(Territory, Territory.id == Conference.region_id)
                                          .where(Conference.id.in_(conference_ids))).all())
    out = {}
    for cid in conference_ids:
        total, filing, population, _ = counts.get(cid, (0, 0, 0, 0))
        region = regions.get(cid) or 0
        out[cid] = {"parties": total, "filed": filing, "population": population, "region_population": region,
                    "parties_share": filing / total if total else 0.0,
                    "population_share": population / region if region else 0.0}
    return out


def _top(base) -> dict[int, dict[int, list[dict]]]:
    """conference → indicator → the TOP parties by pledge including conditions, ranked in SQL."""
    total = func.sum(attributed(Pledge.unconditional_value + Pledge.conditional_value))
    ranked = (
        select(base.c.conference_id, Pledge.indicator_id, base.c.party_id,
               func.sum(attributed(Pledge.unconditional_value)).label("unc"), total.label("total"),
               func.row_number().over(partition_by=(base.c.conference_id, Pledge.indicator_id),
                                      order_by=(total.desc(), base.c.party_id)).label("rank"))
        .join(base, base.c.version_id == Pledge.version_id)
        .group_by(base.c.conference_id, Pledge.indicator_id, base.c.party_id)
        .subquery()
    )
    query = (select(ranked.c.conference_id, ranked.c.indicator_id, Party.name, ranked.c.unc, ranked.c.total)
             .join(Party, Party.id == ranked.c.party_id).where(ranked.c.rank <= TOP)
             .order_by(ranked.c.conference_id, ranked.c.indicator_id, ranked.c.rank))
    out: dict[int, dict[int, list[dict]]] = {}
    for cid, indicator_id, name, unc, tot in db.session.execute(query):
        out.setdefault(cid, {}).setdefault(indicator_id, []).append(
            {"party": name, "unconditional": _money(unc), "total": _money(tot)})
    return out


def _support(base) -> dict[int, list[dict]]:
    """conference → support requested per funder: number of requests and amount in euros."""
    amount = func.sum(SupportRequest.amount)
    query = (select(base.c.conference_id, SupportRequest.funder, func.count(SupportRequest.id), amount)
             .join(base, base.c.version_id == SupportRequest.version_id)
             .group_by(base.c.conference_id, SupportRequest.funder)
             .order_by(base.c.conference_id, amount.desc(), SupportRequest.funder))
    out: dict[int, list[dict]] = {}
    for cid, funder, count, total in db.session.execute(query):
        out.setdefault(cid, []).append({"funder": funder, "requests": count, "amount": _money(total)})
    return out


def compute_many(conferences: list[Conference]) -> dict[int, Synthesis]:
    """The syntheses of several COPs (all regions, say) in one pass: conference id → Synthesis."""
    ids = [conference.id for conference in conferences]
    if not ids:
        return {}
    filing_sums.settle(db.session)
    base = basis(ids)
    rows = _rows(ids, _sums(_kept_sums(ids)), _targets(_targets_query(ids)))
    coverage, top, support = _coverage(ids), _top(base), _support(base)
    flags = compute_flags(conferences, base, rows)
    return {c.id: Synthesis(c, rows[c.id], coverage[c.id], top.get(c.id, {}), support.get(c.id, []), flags[c.id])
            for c in conferences}


def compute(conference: Conference) -> Synthesis:
    """The whole synthesis of one COP."""
    return compute_many([conference])[conference.id]


def rows_of(conference: Conference, sector_id: Optional[int] = None,
            sectors: Optional[list[Sector]] = None) -> list[Row]:
    """The filière × indicator lines of one COP (of one of its filières), without the rest of the synthesis
    (`sectors`: every filière, when the caller read them already)."""
    filing_sums.settle(db.session)
    query = _one_cop_query(sector_id is not None)
    params = {"ids": [conference.id]} if sector_id is None else {"ids": [conference.id], "sector_id": sector_id}
    return _rows([conference.id], *_sums_and_targets(query, params), sectors)[conference.id]


def coverage(conference: Conference) -> dict:
    """The coverage of one COP's synthesis alone."""
    return coverage_and_population(conference)[0]


def coverage_and_population(conference: Conference) -> tuple[dict, int]:
    """The coverage of one COP's synthesis alone and the population of its EPCI parties (what the public COP page
    shows beside the lines), in one statement."""
    counts = _coverage_counts([conference.id])
    return coverage_from_counts(conference, counts), counts.get(conference.id, (0, 0, 0, 0))[3]


def coverage_from_counts(conference: Conference, counts: dict[int, tuple[int, int, int, int]]) -> dict:
    """The coverage of one COP from its counts as `_coverage_counts` gives them (conference id → parties, parties
    that filed, population of the EPCI that filed, population of every EPCI party), counted by the caller."""
    return _coverage([conference.id], {conference.id: conference.region.population}, counts)[conference.id]
