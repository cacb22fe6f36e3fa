"""The page of a territory: a region with its départements, EPCI and COPs; an EPCI with its communes."""
from flask import render_template
from sqlalchemy.orm import contains_eager, selectinload

from cop.conferences import models as conferences  # module import: the two packages import each other
from cop.db import db
from cop.pagination import paginate
from cop.errors import NotFound
from cop.territories import bp
from cop.territories.models import TERRITORY_KINDS, Commune, Territory


def _territory(kind: str, code: str) -> Territory:
    """The territory of that kind and official code, or NotFound."""
    territory = None
    if kind in TERRITORY_KINDS:
        territory = db.session.scalar(db.select(Territory).filter_by(kind=kind, code=code.upper()))
    if territory is None:
        raise NotFound("Aucun territoire ne correspond au code « %(code)s » pour ce type.", code=code[:20])
    return territory


def _region_context(region: Territory) -> dict:
    """A region's départements, its EPCI (paginated) and its COPs."""
    children = db.select(Territory).filter_by(region_id=region.id)
    return {
        "departements": db.session.scalars(children.filter_by(kind="departement").order_by(Territory.code)).all(),
        "epcis": paginate(children.filter_by(kind="epci").order_by(Territory.name)),
        "conferences": db.session.scalars(db.select(conferences.Conference).filter_by(region_id=region.id)
                                          .order_by(conferences.Conference.edition_year.desc())).all(),
    }


def _departement_context(departement: Territory) -> dict:
    """The EPCI with member communes in a département (paginated)."""
    members = db.select(Commune.epci_id).filter_by(departement_code=departement.code).distinct()
    epcis = db.select(Territory).filter(Territory.id.in_(members)).order_by(Territory.name)
    return {"epcis": paginate(epcis)}


def _epci_context(epci: Territory) -> dict:
    """An EPCI's communes with their postcodes (paginated) and the COPs it is party to."""
    communes = db.select(Commune).filter_by(epci_id=epci.id).options(selectinload(Commune.postcodes)) \
        .order_by(Commune.name)
    party = conferences.Party
    parties = db.select(party).filter_by(territory_id=epci.id).join(party.conference) \
        .options(contains_eager(party.conference)).order_by(conferences.Conference.edition_year.desc())
    return {"communes": paginate(communes),
            "parties": db.session.scalars(parties).all()}


def _ept_context(ept: Territory) -> dict:
    """An établissement public territorial's member communes (paginated)."""
    communes = db.select(Commune).filter_by(ept_id=ept.id).options(selectinload(Commune.postcodes)) \
        .order_by(Commune.name)
    return {"communes": paginate(communes)}


CONTEXTS = {"region": _region_context, "departement": _departement_context, "epci": _epci_context,
            "ept": _ept_context}


@bp.get("/<kind>/<code>")
def show(kind: str, code: str):
    """A region, a département, an EPCI or an EPT, by its official code."""
    territory = _territory(kind, code)
    return render_template("territories/show.html", territory=territory, **CONTEXTS[kind](territory))
