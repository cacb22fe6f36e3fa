"""Pledges beside the indicative shares: a party's page, and the synthesis's parties above and below their share.

A party is "above" its share when its unconditional pledges for the filière × indicator (latest accepted versions,
as in the synthesis) reach its share; with its conditional parts, it may reach it "with support".
"""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from cop.commitments.models import Pledge
from cop.commitments.synthesis import basis
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.fairshare import compute
from cop.reference.models import Indicator, Sector


@dataclass
class Line:
    """One party × regional target: its share and what it pledged."""

    target: compute.TargetShares
    party: Party
    share: Decimal
    unconditional: Decimal
    conditional: Decimal

    @property
    def reaches_share(self) -> bool:
        """Its unconditional pledges reach its share."""
        return self.unconditional >= self.share

    @property
    def reaches_with_support(self) -> bool:
        """Only its conditional parts bring it to its share."""
        return not self.reaches_share and self.conditional >= self.share


@dataclass
class TargetComparison:
    """The parties above their share of one target, those below with a pledge, and how many pledged nothing."""

    target: compute.TargetShares
    above: list[Line] = field(default_factory=list)
    below: list[Line] = field(default_factory=list)
    silent: int = 0


def pledged(conference_id: int, party_id: int | None = None) -> dict[tuple[int, int, int], tuple[Decimal, Decimal]]:
    """(party, filière, indicator) → (unconditional, with conditional) over the counted versions (of one party
    when party_id is given)."""
    base = basis([conference_id])
    query = (select(base.c.party_id, base.c.sector_id, Pledge.indicator_id, func.sum(Pledge.unconditional_value),
                    func.sum(Pledge.unconditional_value + Pledge.conditional_value))
             .join(base, base.c.version_id == Pledge.version_id)
             .group_by(base.c.party_id, base.c.sector_id, Pledge.indicator_id))
    if party_id is not None:
        query = query.where(base.c.party_id == party_id)
    rows = db.session.execute(query)
    return {(p, s, i): (Decimal(str(u or 0)), Decimal(str(t or 0))) for p, s, i, u, t in rows}


def _line(target, party, share, sums) -> Line:
    unconditional, total = sums.get((party.id, target.sector.id, target.indicator.id), (Decimal(0), Decimal(0)))
    return Line(target, party, share, unconditional, total)


#: A COP's shares as plain values, to be kept between requests: ((filière, indicator, year, target value) per
#: regional target, {party id: (its share of each of those targets)}) for the intercommunalities.
ShareTable = tuple[tuple[tuple[int, int, int, Decimal], ...], dict[int, tuple[Decimal, ...]]]


def share_table(conference: Conference) -> ShareTable:
    """The indicative shares of every EPCI party of a COP, as plain values (no ORM object)."""
    shares = compute.compute(conference)
    targets = tuple((t.sector.id, t.indicator.id, t.year, t.value) for t in shares.targets)
    return targets, {party_id: tuple(t.shares[party_id] for t in shares.targets) for party_id in shares.keys}


def for_party(party: Party, table: ShareTable | None = None) -> list[Line]:
    """Each regional target with the party's indicative share and its pledges (empty for an organisation).

    `table` is the COP's `share_table` (computed here when not given, e.g. kept by the caller's cache)."""
    targets, by_party = table if table is not None else share_table(party.conference)
    if party.id not in by_party:
        return []
    sectors = {s.id: s for s in db.session.scalars(select(Sector).where(Sector.id.in_({t[0] for t in targets})))}
    indicators = {i.id: i for i in db.session.scalars(
        select(Indicator).where(Indicator.id.in_({t[1] for t in targets})))}
    sums = pledged(party.conference_id, party.id)
    return [_line(compute.TargetShares(sectors[sector_id], indicators[indicator_id], year, value), party, share, sums)
            for (sector_id, indicator_id, year, value), share in zip(targets, by_party[party.id])]


def for_conference(conference: Conference) -> list[TargetComparison]:
    """Per regional target: the parties above and below their share."""
    shares = compute.compute(conference)
    sums = pledged(conference.id)
    out = []
    for target in shares.targets:
        comparison = TargetComparison(target)
        for party in shares.parties:
            line = _line(target, party, target.shares[party.id], sums)
            if line.reaches_share and (line.share or line.unconditional):
                comparison.above.append(line)
            elif line.conditional or line.unconditional:
                comparison.below.append(line)
            elif line.share:
                comparison.silent += 1
        comparison.above.sort(key=lambda line: line.share - line.unconditional)
        comparison.below.sort(key=lambda line: line.unconditional - line.share)
        out.append(comparison)
    return out
