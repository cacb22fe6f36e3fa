"""The indicative shares: each EPCI party's key (population, or weighted imported figures), and every regional
target apportioned by the largest remainder, so that the shares sum exactly to the target.

key(i) = Σ_c w_c · x_ci / Σ_j x_cj  ÷  Σ_c w_c   (criteria whose column sums to zero are left out)
share(i) = target × key(i), rounded to the indicator's unit (whole numbers for jobs, sites…; the cent otherwise)
with the largest-remainder method: every share is first rounded down, then the units left go one by one to the
largest remainders (ties to the larger key, then to the party listed first).
"""
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from cop.conferences.models import Conference, Party, Target
from cop.db import db
from cop.fairshare.models import FairShareBasis, FairShareCriterion, ShareMethod
from cop.reference.models import Indicator, Sector
from cop.territories.models import Territory

CENT = Decimal("0.01")


@dataclass
class TargetShares:
    """One regional target and each EPCI party's indicative share of it."""

    sector: Sector
    indicator: Indicator
    year: int
    value: Decimal
    shares: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class FairShares:
    """The method in force, each party's key, and the shares of every regional target."""

    conference: Conference
    basis: Optional[FairShareBasis]
    parties: list[Party]
    keys: dict[int, Fraction]
    targets: list[TargetShares]

    @property
    def method(self) -> str:
        """The method in force: by population unless the presidency chose figures."""
        return self.basis.method if self.basis else ShareMethod.POPULATION.value

    def of(self, party_id: int) -> list[tuple[TargetShares, Decimal]]:
        """Every target with one party's share of it."""
        return [(t, t.shares[party_id]) for t in self.targets if party_id in t.shares]


def current_basis(conference_id: int) -> Optional[FairShareBasis]:
    """The latest version of the method (None: by population, the default)."""
    return db.session.scalar(
        select(FairShareBasis).where(FairShareBasis.conference_id == conference_id)
        .order_by(FairShareBasis.number.desc()).limit(1)
        .options(selectinload(FairShareBasis.criteria).selectinload(FairShareCriterion.figures)))


def epci_parties(conference_id: int) -> list[Party]:
    """The intercommunalities among the parties of a COP, by name: the territories the targets are shared among."""
    return list(db.session.scalars(
        select(Party).join(Territory, Territory.id == Party.territory_id)
        .where(Party.conference_id == conference_id, Territory.kind == "epci")
        .options(selectinload(Party.territory)).order_by(Party.name, Party.id)))


def keys_for(parties: list[Party], basis: Optional[FairShareBasis]) -> dict[int, Fraction]:
    """Each party's key (the keys sum to 1 unless every figure is zero)."""
    if basis is None or not basis.by_figures:
        return _normalise({p.id: Fraction(p.territory.population) for p in parties})
    by_territory = {p.territory_id: p.id for p in parties}
    total_weight, keys = Fraction(0), {p.id: Fraction(0) for p in parties}
    for criterion in basis.criteria:
        column = {by_territory[f.territory_id]: Fraction(f.value) for f in criterion.figures
                  if f.territory_id in by_territory}
        column_sum = sum(column.values())
        if not column_sum or not criterion.weight:
            continue
        total_weight += Fraction(criterion.weight)
        for party_id, value in column.items():
            keys[party_id] += Fraction(criterion.weight) * value / column_sum
    return {pid: key / total_weight for pid, key in keys.items()} if total_weight else keys


def _normalise(values: dict[int, Fraction]) -> dict[int, Fraction]:
    """Values divided by their sum (all zero when they sum to zero)."""
    total = sum(values.values())
    return {k: v / total for k, v in values.items()} if total else {k: Fraction(0) for k in values}


def apportion(total: Decimal, keys: dict[int, Fraction], decimals: int = 0) -> dict[int, Decimal]:
    """Share `total` by the keys with the largest remainder, in units of the indicator (else the cent).

    In whole numbers over the keys' common denominator: a COP of 160 parties and 57 targets is apportioned in a
    few milliseconds, where comparing Fractions took most of a second.
    """
    unit = Decimal(1).scaleb(-max(0, min(decimals, 2)))
    if total % unit:
        unit = CENT
    units = int(total / unit)
    denominator = math.lcm(*(key.denominator for key in keys.values())) if keys else 1
    weights = {k: key.numerator * (denominator // key.denominator) for k, key in keys.items()}
    if not sum(weights.values()):
        return {k: Decimal(0) for k in keys}
    floors, remainders = {}, {}
    for k, weight in weights.items():
        floors[k], remainders[k] = divmod(units * weight, denominator)
    left = units - sum(floors.values())
    order = sorted(weights, key=lambda k: (-remainders[k], -weights[k]))
    for k in order[:left]:
        floors[k] += 1
    return {k: (unit * n).quantize(unit) for k, n in floors.items()}


def _targets(conference_id: int) -> list[Target]:
    """The regional target of each filière × indicator: its latest year, as in the synthesis."""
    rows = db.session.scalars(
        select(Target).join(Target.sector).join(Target.indicator).where(Target.conference_id == conference_id)
        .options(contains_eager(Target.sector), contains_eager(Target.indicator))  # not one query per filière
        .order_by(Sector.position, Indicator.position, Target.year)).all()
    latest = {}
    for target in rows:
        latest[(target.sector_id, target.indicator_id)] = target
    return list(latest.values())


def compute(conference: Conference) -> FairShares:
    """The indicative shares of every regional target of a COP."""
    basis = current_basis(conference.id)
    parties = epci_parties(conference.id)
    keys = keys_for(parties, basis)
    targets = [TargetShares(t.sector, t.indicator, t.year, t.value,
                            apportion(t.value, keys, t.indicator.decimals)) for t in _targets(conference.id)]
    return FairShares(conference, basis, parties, keys, targets)
