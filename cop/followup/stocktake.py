"""The collective stocktake: per filière × indicator, target vs pledged vs achieved over the years; party scorecards."""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from sqlalchemy import func, select

from cop.commitments.models import Commitment
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.followup.models import ProgressReport
from cop.reference.models import Indicator, Sector
from cop.roadmap.models import RoadmapVersion
from cop.roadmap.services import latest, roadmap_of

COUNTED = ("submitted", "accepted")


def in_force(conference: Conference) -> Optional[RoadmapVersion]:
    """The adopted roadmap version of the COP."""
    return latest(roadmap_of(conference), "adopted")


def _d(raw) -> Decimal:
    """A stored number as a Decimal."""
    return Decimal(str(raw)) if raw is not None else Decimal(0)


@dataclass
class Line:
    """One filière × indicator: the target path, the pledged path, what was achieved and reported."""

    sector: str
    sector_name: str
    indicator: str
    name: str
    unit: str
    target: Optional[Decimal]
    pledged: Decimal
    pledged_conditional: Decimal
    years: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)
    pledged_by_year: dict = field(default_factory=dict)
    achieved: dict = field(default_factory=dict)
    accepted: dict = field(default_factory=dict)

    @property
    def last_year(self) -> Optional[int]:
        """The latest year with a report."""
        return max(self.achieved) if self.achieved else None

    @property
    def gap(self) -> Optional[Decimal]:
        """The implementation gap against the final value: pledged (unconditional) minus achieved in the latest
        reported year."""
        return None if self.last_year is None else self.pledged - self.achieved[self.last_year]

    @property
    def due(self) -> Optional[Decimal]:
        """Where the pledges' trajectory stands in the latest reported year (straight from each pledge's
        reference year and value to its target year and value)."""
        return None if self.last_year is None else self.pledged_by_year[self.last_year]

    @property
    def gap_trajectory(self) -> Optional[Decimal]:
        """The implementation gap against the trajectory: due in the latest reported year minus achieved then
        (negative when ahead of the path)."""
        return None if self.last_year is None else self.due - self.achieved[self.last_year]


def achieved_sums(conference_id: int, shares: Optional[dict] = None) -> dict:
    """(sector code, indicator code, year) → (sum reported, sum accepted), grouped in SQL per party too, so that
    a party reporting on a shared project counts its share of it (`shares`: (party, sector, indicator) → %)."""
    shares = shares or {}
    accepted = func.sum(db.case((ProgressReport.state == "accepted", ProgressReport.achieved_value), else_=0))
    rows = db.session.execute(
        select(Commitment.party_id, Sector.code, Indicator.code, ProgressReport.year,
               func.sum(ProgressReport.achieved_value), accepted)
        .join(Commitment, Commitment.id == ProgressReport.commitment_id).join(Sector, Sector.id == Commitment.sector_id)
        .join(Indicator, Indicator.id == ProgressReport.indicator_id)
        .where(ProgressReport.conference_id == conference_id, ProgressReport.state.in_(COUNTED))
        .group_by(Commitment.party_id, Sector.code, Indicator.code, ProgressReport.year))
    out: dict = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for party, s, i, y, total, ok in rows:
        weight = _d(shares.get((party, s, i), 100)) / 100
        out[(s, i, y)] = (out[(s, i, y)][0] + _d(total) * weight, out[(s, i, y)][1] + _d(ok) * weight)
    return dict(out)


def _shares(version: RoadmapVersion) -> dict:
    """(party, sector, indicator) → the declared share of the project a pledge of the roadmap names."""
    return {(p["party"], chapter["sector"], p["indicator"]): p.get("share", 100)
            for chapter in version.content["chapters"] for p in chapter["pledges"]}


def _on_track(pledge: dict, year: int) -> Decimal:
    """Where a pledge should stand in a year: straight from its reference value to its target value."""
    start, end = pledge["reference_year"], pledge["target_year"]
    low, high = _d(pledge["reference_value"]), _d(pledge["unconditional"])
    if year >= end or end <= start:
        return high
    if year <= start:
        return low
    return low + (high - low) * (year - start) / (end - start)


def _pledged_path(chapter: dict, indicator: str, years: list[int]) -> dict:
    """Per year, the sum of the pledges' straight trajectories (unconditional values)."""
    mine = [p for p in chapter["pledges"] if p["indicator"] == indicator]
    return {y: sum((_on_track(p, y) * _d(p.get("share", 100)) / 100 for p in mine), Decimal(0))
            .quantize(Decimal("0.01")) for y in years}


def _years(conference: Conference, chapter: dict, indicator: str, dated: list[int]) -> list[int]:
    """The years a line spans: from the earliest of the edition, the pledges' reference (baseline) years and the
    reported years (a report may be filed for any year after its pledge's reference year, before the edition too)
    to the latest of the horizon, the pledges' target years, the targets' and the reports' years."""
    mine = [p for p in chapter["pledges"] if p["indicator"] == indicator]
    starts = [conference.edition_year, *(p["reference_year"] for p in mine), *dated]
    ends = [conference.horizon_year, *(p["target_year"] for p in mine), *dated]
    return list(range(min(starts), max(ends) + 1))


def lines(conference: Conference, version: RoadmapVersion) -> list[Line]:
    """Every filière × indicator of the roadmap in force, with its paths over the years."""
    sums = achieved_sums(conference.id, _shares(version))
    out = []
    for chapter in version.content["chapters"]:
        targets = defaultdict(dict)
        for m in chapter["milestones"]:
            for t in m["targets"]:
                targets[t["indicator"]][m["year"]] = _d(t["value"])
        for row in chapter["indicators"]:
            code = row["indicator"]
            reported = {y: v for (s, i, y), v in sums.items() if s == chapter["sector"] and i == code}
            years = _years(conference, chapter, code, list(targets[code]) + list(reported))
            out.append(Line(chapter["sector"], chapter["name"], code, row["name"], row["unit"],
                            None if row["target"] is None else _d(row["target"]), _d(row["unconditional"]),
                            _d(row["conditional"]), years, targets[code], _pledged_path(chapter, code, years),
                            {y: v[0] for y, v in reported.items()}, {y: v[1] for y, v in reported.items()}))
    return out


def scorecard(party: Party, version: RoadmapVersion) -> list[dict]:
    """The party's pledges in the roadmap in force, each with its reports by year and the share achieved."""
    reports = db.session.execute(
        select(ProgressReport, Sector.code).join(Commitment, Commitment.id == ProgressReport.commitment_id)
        .join(Sector, Sector.id == Commitment.sector_id).where(ProgressReport.party_id == party.id)
        .order_by(ProgressReport.year)).all()
    by_key = defaultdict(list)
    indicator_codes = dict(db.session.execute(select(Indicator.id, Indicator.code)).all())
    for item, sector in reports:
        by_key[(sector, indicator_codes[item.indicator_id])].append(item)
    out = []
    for chapter in version.content["chapters"]:
        names = {r["indicator"]: (r["name"], r["unit"]) for r in chapter["indicators"]}
        for p in (p for p in chapter["pledges"] if p["party"] == party.id):
            items = by_key.get((chapter["sector"], p["indicator"]), [])
            last = items[-1] if items else None
            pledged = _d(p["unconditional"])
            share = (last.achieved_value * 100 / pledged) if last is not None and pledged else None
            out.append({"sector": chapter["name"], "indicator": p["indicator"], "name": names[p["indicator"]][0],
                        "unit": names[p["indicator"]][1], "pledge": p, "reports": items, "last": last,
                        "share": share})
    return out
