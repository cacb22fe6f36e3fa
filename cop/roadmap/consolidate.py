"""Consolidate a COP's roadmap: introduction, one chapter per filière, annexes — as plain JSON."""
import json
from collections import defaultdict
from decimal import Decimal
from typing import Optional

from cop import canonical
from cop.conferences.models import Conference
from cop.roadmap import queries
from cop.roadmap.decisions import adopted_actions
from cop.projects import queries as project_queries
from cop.projects.models import Project
from cop.db import db
from sqlalchemy import select

SCHEMA = "cop-feuille-de-route/1"
ZERO = Decimal(0)


def _introduction(conference: Conference, parties: list) -> dict:
    """The COP, its calendar and its rules."""
    return {
        "id": conference.id, "code": conference.code, "title": conference.title,
        "region": {"code": conference.region.code, "name": conference.region.name},
        "edition_year": conference.edition_year, "horizon_year": conference.horizon_year,
        "calendar": {"opens_on": conference.opens_on, "commitments_due_on": conference.commitments_due_on,
                     "negotiation_on": conference.negotiation_on, "adoption_on": conference.adoption_on},
        "decision_mode": conference.decision_mode, "parties_count": len(parties),
        "accredited_count": sum(1 for p in parties if p.accreditation == "accredited"),
    }


def _party_list(parties: list) -> list[dict]:
    """Every party: name, kind, territory code, population, accreditation."""
    return [{"id": p.id, "name": p.name, "kind": p.kind, "territory": p.code, "population": p.population or 0,
             "accreditation": p.accreditation} for p in parties]


def _share(row, value) -> Decimal:
    """What a line counts: all of its value, or its party's declared share of the project it names."""
    return Decimal(value) * Decimal(row.share) / 100


def indicator_rows(targets: list, pledges: list, catalogue: dict) -> list[dict]:
    """Per indicator: the target (latest year), pledged sums (each project once, by shares), gaps, parties."""
    goal = {indicator: (year, value) for _, indicator, year, value in targets}
    sums: dict = defaultdict(lambda: [ZERO, ZERO, set(), ZERO])
    for row in pledges:
        entry = sums[row.indicator]
        entry[0] += _share(row, row.unconditional)
        entry[1] += _share(row, row.unconditional + row.conditional)
        entry[2].add(row.party)
        entry[3] += row.unconditional - _share(row, row.unconditional)
    rows = []
    for code in sorted(set(goal) | set(sums), key=lambda c: catalogue[c][3]):
        year, value = goal.get(code, (None, None))
        unconditional, conditional, who, avoided = sums.get(code, (ZERO, ZERO, set(), ZERO))
        rows.append({"indicator": code, "name": catalogue[code][0], "unit": catalogue[code][1],
                     "target": value, "target_year": year, "unconditional": unconditional,
                     "conditional": conditional, "parties": len(who), "double_counting_avoided": avoided,
                     "gap_unconditional": None if value is None else value - unconditional,
                     "gap_conditional": None if value is None else value - conditional})
    return rows


def _support(supports: list, names: dict) -> list[dict]:
    """Support requested per funder, with each request."""
    by_funder: dict = defaultdict(list)
    for row in supports:
        by_funder[row.funder].append({"party": row.party_id, "party_name": names[row.party_id],
                                      "amount": row.amount, "purpose": row.purpose})
    return [{"funder": funder, "amount": sum((r["amount"] for r in items), ZERO), "requests": items}
            for funder, items in sorted(by_funder.items())]


def milestones(targets: list, pledges: list) -> list[dict]:
    """By year: the regional targets due and the pledges due (sums per indicator)."""
    years: dict = defaultdict(lambda: {"targets": {}, "pledges": defaultdict(lambda: [ZERO, ZERO, 0])})
    for _, indicator, year, value in targets:
        years[year]["targets"][indicator] = value
    for row in pledges:
        entry = years[row.target_year]["pledges"][row.indicator]
        entry[0], entry[1], entry[2] = (entry[0] + _share(row, row.unconditional),
                                        entry[1] + _share(row, row.conditional), entry[2] + 1)
    return [{"year": year,
             "targets": [{"indicator": k, "value": v} for k, v in sorted(data["targets"].items())],
             "pledges": [{"indicator": k, "unconditional": v[0], "conditional": v[1], "parties": v[2]}
                         for k, v in sorted(data["pledges"].items())]}
            for year, data in sorted(years.items())]


def _chapter(code: str, rows: dict, catalogue: tuple, names: dict, framing: str, actions: list,
             projects: dict) -> dict:
    """One filière: targets and gaps, pledges by party, actions, support, sites, milestones."""
    sectors, indicators = catalogue
    return {
        "sector": code, "name": sectors[code][0], "framing": framing,
        "indicators": indicator_rows(rows["targets"], rows["pledges"], indicators),
        "pledges": [{"id": r.pledge_id, "party": r.party, "party_name": names[r.party], "commitment": r.commitment,
                     "version": r.number, "indicator": r.indicator, "reference_year": r.reference_year,
                     "reference_value": r.reference_value, "target_year": r.target_year,
                     "unconditional": r.unconditional, "conditional": r.conditional,
                     "project": projects[r.project]["number"] if r.project else None, "share": r.share}
                    for r in rows["pledges"]],
        "actions": actions,
        "support": _support(rows["supports"], names),
        "sites": [{"party": s.party_id, "party_name": names[s.party_id], "name": s.name, "commune": s.commune_code,
                   "commune_name": s.commune_name, "hectares": s.hectares, "kind": s.kind, "status": s.status}
                  for s in rows["sites"]],
        "milestones": milestones(rows["targets"], rows["pledges"]),
    }


def _projects(rows: dict) -> dict:
    """project id → how the roadmap names each project its lines name: a sealed one by its seal only."""
    ids = {r.project for chapter in rows.values() for r in chapter["pledges"] if r.project}
    found = db.session.scalars(select(Project).where(Project.id.in_(ids))) if ids else []
    return {p.id: {**project_queries.reference(p), "sector": p.sector.code} for p in found}


def _sealed_commitments(links: list) -> list[dict]:
    """The sealed commitments the roadmap consolidates, by their seal only (cop/seals): `cop seal verify` checks
    the registry still holds each seal a roadmap version published."""
    from cop.commitments.models import Commitment, CommitmentVersion

    version_ids = {link[0] for link in links}
    if not version_ids:
        return []
    found = db.session.scalars(select(Commitment).join(CommitmentVersion, CommitmentVersion.commitment_id ==
                                                       Commitment.id)
                               .where(CommitmentVersion.id.in_(version_ids), Commitment.is_sealed.is_(True))
                               .distinct().order_by(Commitment.id))
    return [{"kind": "commitment", "ref": c.id, "party": c.party_id, "party_name": c.party.name,
             "sector": c.sector.code, "sector_name": c.sector.name, "seal": c.seal_digest,
             "hidden": c.is_hidden, "announce_on": c.announce_on} for c in found]


def _group(conference_id: int) -> tuple[dict, list, list]:
    """Run the queries once and group their rows by filière code."""
    accepted = queries.accepted_versions(conference_id)
    rows: dict = defaultdict(lambda: {"targets": [], "pledges": [], "supports": [], "sites": []})
    for name, fetched in (("targets", queries.targets(conference_id)), ("pledges", queries.pledges(accepted)),
                          ("supports", queries.supports(accepted)), ("sites", queries.sites(accepted))):
        for row in fetched:
            rows[row.sector][name].append(row)
    return rows, queries.version_links(accepted), queries.parties(conference_id)


def _annexes(conference_id: int, names: dict, sectors: dict) -> dict:
    """Parties that filed nothing; steps back with their justification."""
    return {
        "silent_parties": [{"party": pid, "party_name": names[pid]} for pid in queries.silent_parties(conference_id)],
        "step_backs": [{"party": r.party_id, "party_name": names[r.party_id], "sector": r.sector,
                        "sector_name": sectors[r.sector][0], "version": r.number, "justification": r.justification}
                       for r in queries.step_backs(conference_id)],
    }


def build(conference: Conference, framings: Optional[dict] = None) -> tuple[dict, list]:
    """The roadmap content (plain JSON) and the (commitment version id, party id) pairs it consolidates."""
    rows, links, parties = _group(conference.id)
    catalogue = queries.sectors_and_indicators()
    names = {p.id: p.name for p in parties}
    projects = _projects(rows)
    framings = framings or {}
    actions = adopted_actions(conference.id)
    codes = sorted(set(rows) | set(framings) | {a["sector"] for a in actions if a["sector"]},
                   key=lambda code: catalogue[0][code][1])
    content = {
        "schema": SCHEMA, "conference": _introduction(conference, parties), "parties": _party_list(parties),
        "chapters": [_chapter(code, rows[code], catalogue, names, framings.get(code, ""),
                              [a for a in actions if a["sector"] == code], projects) for code in codes],
        "projects": sorted(projects.values(), key=lambda p: p["number"]),
        "seals": _sealed_commitments(links),
        "general_actions": [a for a in actions if not a["sector"]],
        "annexes": _annexes(conference.id, names, catalogue[0]),
    }
    return json.loads(canonical.dumps(content)), [tuple(link) for link in links]
