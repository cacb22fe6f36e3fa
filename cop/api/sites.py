"""GET /api/v1/conferences/<id>/sites[/<id>]: the registry of ready-to-use sites, with the page's filters."""
from flask import jsonify, request, url_for

from cop import loaders
from cop.api import bp, serialize
from cop.api.pagination import paginate
from cop.sites import queries


def _site(site) -> dict:
    """A site with its specifications and the commitments tied to it."""
    return {
        "id": site.id, "url": url_for("api.conference_site", conference_id=site.conference_id, site_id=site.id,
                                      _external=True),
        "name": site.name,
        "commune": {"code": site.commune.code, "name": site.commune.name} if site.commune is not None else None,
        "seal": serialize.seal(site),
        "departement": site.departement_code, "hectares": serialize.num(site.hectares), "status": site.status,
        "owner": site.owner, "available_on": site.available_on.isoformat() if site.available_on else None,
        "power_mw": serialize.num(site.power_mw), "rail_access": site.rail_access, "port_access": site.port_access,
        "icpe": site.icpe, "land_take_avoided_ha": serialize.num(site.land_take_avoided_ha),
        "description": site.description,
        "commitments": [{"id": link.commitment_id, "use": link.use} for link in site.links],
    }


@bp.get("/conferences/<int:conference_id>/sites")
def conference_sites(conference_id: int):
    """The sites of a COP; filters: statut (repeatable), departement, puissance_min, surface_min, rail, port, icpe."""
    conference = loaders.get_conference(conference_id)
    filters = queries.parse_filters(request.args)
    kept = {k: v for k, v in request.args.lists() if k not in ("page", "per_page")}
    return jsonify(paginate(queries.filtered(conference.id, filters), _site, conference_id=conference.id, **kept))


@bp.get("/conferences/<int:conference_id>/sites/<int:site_id>")
def conference_site(conference_id: int, site_id: int):
    """One site of the registry."""
    conference = loaders.get_conference(conference_id)
    return jsonify(_site(queries.get_site(conference.id, site_id)))
