"""GET /api/v1/conferences/<id>/fair-shares: the sharing method in force and each intercommunality's share."""
from flask import jsonify
from sqlalchemy import select

from cop import loaders
from cop.api import bp, serialize
from cop.api.pagination import paginate
from cop.conferences.models import Party
from cop.fairshare import compute
from cop.territories.models import Territory


def _basis(shares: compute.FairShares) -> dict:
    """The method in force, its version, justification, source file hash and criteria with their weights."""
    basis = shares.basis
    return {"method": shares.method, "version": basis.number if basis else 0,
            "created_at": serialize.when(basis.created_dt) if basis else None,
            "note": basis.note if basis else "", "source_sha256": basis.source_sha256 if basis else "",
            "criteria": [{"name": c.name, "weight": serialize.num(c.weight)} for c in basis.criteria]
            if basis and basis.by_figures else []}


@bp.get("/conferences/<int:conference_id>/fair-shares")
def conference_fair_shares(conference_id: int):
    """The method, the targets shared, and one page of intercommunalities with their key, figures and shares."""
    conference = loaders.get_conference(conference_id)
    shares = compute.compute(conference)
    figures: dict[int, dict[str, float]] = {}
    if shares.basis and shares.basis.by_figures:
        for criterion in shares.basis.criteria:
            for figure in criterion.figures:
                figures.setdefault(figure.territory_id, {})[criterion.name] = serialize.num(figure.value)

    def item(party: Party) -> dict:
        return {"party": serialize.party(party), "population": party.territory.population,
                "key": float(shares.keys.get(party.id, 0)), "figures": figures.get(party.territory_id, {}),
                "shares": [{"sector": t.sector.code, "indicator": t.indicator.code, "year": t.year,
                            "share": serialize.num(share)} for t, share in shares.of(party.id)]}

    query = (select(Party).join(Territory, Territory.id == Party.territory_id)
             .where(Party.conference_id == conference.id, Territory.kind == "epci").order_by(Party.name, Party.id))
    page = paginate(query, item, conference_id=conference.id)
    targets = [{"sector": serialize.sector(t.sector), "indicator": serialize.indicator(t.indicator), "year": t.year,
                "target": serialize.num(t.value)} for t in shares.targets]
    return jsonify({**page, "basis": _basis(shares), "targets": targets})
