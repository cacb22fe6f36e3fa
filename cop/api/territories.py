"""GET /api/v1/territories[?q=]: regions, départements and EPCI; a town name or a postcode finds its EPCI."""
from flask import jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop.api import bp
from cop.api.pagination import paginate
from cop.db import db
from cop.errors import Invalid, NotFound
from cop.public import places
from cop.territories.models import TERRITORY_KINDS, Territory


def _territory(item: Territory) -> dict:
    """A territory with its official code and population."""
    return {
        "id": item.id, "kind": item.kind, "code": item.code, "name": item.name, "legal_form": item.legal_form,
        "population": item.population, "region_code": item.region.code if item.region else None,
        "url": url_for("api.territory", kind=item.kind, code=item.code, _external=True),
        "page_url": url_for("public.territory", kind=item.kind, code=item.code, _external=True),
    }


def _matching_ids(text: str) -> list[int]:
    """Territories a query names: the EPCI (and EPT) of the matching communes, and territories whose name matches."""
    found = places.lookup(text)
    ids = {commune.epci_id for commune in found.communes if commune.epci_id}
    ids.update(commune.ept_id for commune in found.communes if commune.ept_id)
    ids.update(item.id for item in found.epcis)
    return sorted(ids)


@bp.get("/territories")
def territories():
    """Territories by kind and name; `q` is a town name or a postcode (accents and case ignored)."""
    kind = request.args.get("kind")
    if kind is not None and kind not in TERRITORY_KINDS:
        raise Invalid("Nature inconnue : region, departement, epci ou ept.")
    query = select(Territory).options(selectinload(Territory.region))
    text = request.args.get("q", "").strip()
    if text:
        query = query.where(Territory.id.in_(_matching_ids(text)))
    if kind:
        query = query.where(Territory.kind == kind)
    return jsonify(paginate(query.order_by(Territory.kind, Territory.search_name, Territory.id), _territory))


@bp.get("/territories/<kind>/<code>")
def territory(kind: str, code: str):
    """One territory by its official code."""
    item = db.session.scalar(select(Territory).filter_by(kind=kind, code=code)) if kind in TERRITORY_KINDS else None
    if item is None:
        raise NotFound("Ce territoire n’existe pas.")
    return jsonify(_territory(item))
