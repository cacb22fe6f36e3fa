"""GET /api/v1/conferences[/<id>]: the COPs, their phase, calendar and headline figures."""
from flask import jsonify, request, url_for
from sqlalchemy import select

from cop.api import bp
from cop.api.pagination import paginate
from cop.conferences.models import PHASES, Conference
from cop.errors import Invalid
from cop.loaders import get_conference
from cop.public.queries import Headline, headlines
from cop.territories.models import Territory


def _conference(item: Conference, head: Headline | None = None) -> dict:
    """A COP with its region, phase, calendar and links to its commitments and synthesis."""
    head = head or Headline()
    day = lambda value: value.isoformat() if value else None  # noqa: E731
    return {
        "id": item.id, "code": item.code, "title": item.title, "edition_year": item.edition_year,
        "region": {"code": item.region.code, "name": item.region.name}, "phase": item.phase,
        "opens_on": day(item.opens_on), "commitments_due_on": day(item.commitments_due_on),
        "negotiation_on": day(item.negotiation_on), "adoption_on": day(item.adoption_on),
        "horizon_year": item.horizon_year,
        "figures": {"parties": head.parties, "filing_parties": head.filing_parties,
                    "commitments": head.commitments, "accepted": head.accepted},
        "url": url_for("api.conference", conference_id=item.id, _external=True),
        "commitments_url": url_for("api.commitments", conference_id=item.id, _external=True),
        "synthesis_url": url_for("api.conference_synthesis", conference_id=item.id, _external=True),
        "page_url": url_for("public.conference", conference_id=item.id, _external=True),
    }


@bp.get("/conferences")
def conferences():
    """Every COP, newest edition first; filters: region (INSEE code), phase, year."""
    query = select(Conference).join(Territory, Territory.id == Conference.region_id)
    phase, region, year = request.args.get("phase"), request.args.get("region"), request.args.get("year")
    if phase is not None:
        if phase not in PHASES:
            raise Invalid("Phase inconnue : " + ", ".join(PHASES) + ".")
        query = query.where(Conference.phase == phase)
    if region:
        query = query.where(Territory.code == region)
    if year is not None:
        if not (year.isdecimal() and len(year) <= 4):
            raise Invalid("Le paramètre « year » est une année.")
        query = query.where(Conference.edition_year == int(year))
    heads = headlines()
    query = query.order_by(Conference.edition_year.desc(), Conference.title, Conference.id)
    return jsonify(paginate(query, lambda item: _conference(item, heads.get(item.id))))


@bp.get("/conferences/<int:conference_id>")
def conference(conference_id: int):
    """One COP."""
    item = get_conference(conference_id)
    return jsonify(_conference(item, headlines().get(item.id)))
