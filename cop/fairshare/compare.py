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


def pledged(conference_id: int) -> dict[tuple[int, int, int], tuple[Decimal, Decimal]]:
    """(party, filière, indicator) → (unconditional, with conditional) over the counted versions."""
    base = basis([conference_id])
    rows = db.session.execute(
        select(base.c.party_id, base.c.sector_id, Pledge.indicator_id, func.sum(Pledge.unconditional_value),
               func.sum(Pledge.unconditional_value + Pledge.conditional_value))
        .join(base, base.c.version_id == Pledge.version_id)
        .group_by(base.c.party_id, base.c.sector_id, Pledge.indicator_id))
    return {(p, s, i): (Decimal(str(u or 0)), Decimal(str(t or 0))) for p, s, i, u, t in rows}


def _line(target, party, share, sums) -> Line:
    unconditional, total = sums.get((party.id, target.sector.id, target.indicator.id), (Decimal(0), Decimal(0)))
    return Line(target, party, share, unconditional, total)


def for_party(party: Party) -> list[Line]:
    """Each regional target with the party's indicative share and its pledges (empty for an organisation)."""
    shares = compute.compute(party.conference)
    if party.id not in shares.keys:
        return []
    sums = pledged(party.conference_id)
    return [_line(target, party, share, sums) for target, share in shares.of(party.id)]


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
