"""The registry filtered: one parser of the filters for the page and the API, one query, grouped by département."""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from cop.db import db
from cop.errors import Invalid, NotFound
from cop.numbers import parse_decimal
from cop.sites.models import IcpeRegime, RegistrySite, SiteCommitment, SiteStatus
from cop.territories.models import Territory

MAX_ID = 2**31 - 1


@dataclass
class Filters:
    """What the reader asked for; every field optional."""

    statuses: list[str] = field(default_factory=list)
    departement: str = ""
    min_power: Optional[Decimal] = None
    min_hectares: Optional[Decimal] = None
    rail: bool = False
    port: bool = False
    icpe: str = ""

    @property
    def active(self) -> bool:
        """At least one filter is set."""
        return bool(self.statuses or self.departement or self.min_power is not None
                    or self.min_hectares is not None or self.rail or self.port or self.icpe)


def _number(args, name: str) -> Optional[Decimal]:
    """A non-negative number of the query string, or Invalid naming the parameter."""
    raw = args.get(name, "")
    try:
        value = parse_decimal(raw)
    except ValueError:
        value = Decimal(-1)
    if value is not None and not Decimal(0) <= value < Decimal("1e8"):
        raise Invalid("Le filtre « %(name)s » attend un nombre positif.", name=name)
    return value


def parse_filters(args) -> Filters:
    """The filters of a query string (?statut=ready&statut=rehabilitating&puissance_min=10&rail=1…)."""
    statuses = [s for s in args.getlist("statut") if s]
    known = set(SiteStatus.__members__.values())
    if any(s not in known for s in statuses):
        raise Invalid("Statut de site inconnu : brownfield, rehabilitating, ready ou taken.")
    icpe = args.get("icpe", "")
    if icpe and icpe not in set(IcpeRegime.__members__.values()):
        raise Invalid("Régime ICPE inconnu.")
    departement = args.get("departement", "").strip().upper()
    if departement and not (len(departement) <= 3 and departement.isalnum()):
        raise Invalid("Le filtre « departement » attend un code de département (par exemple 69 ou 2A).")
    return Filters(statuses=sorted(set(statuses)), departement=departement, min_power=_number(args, "puissance_min"),
                   min_hectares=_number(args, "surface_min"), rail=args.get("rail") == "1",
                   port=args.get("port") == "1", icpe=icpe)


def filtered(conference_id: int, filters: Filters) -> Select:
    """The sites of a COP that pass the filters, by département then name."""
    query = select(RegistrySite).where(RegistrySite.conference_id == conference_id)
    if filters.statuses:
        query = query.where(RegistrySite.status.in_(filters.statuses))
    if filters.departement:
        query = query.where(RegistrySite.departement_code == filters.departement)
    if filters.min_power is not None:
        query = query.where(RegistrySite.power_mw >= filters.min_power)
    if filters.min_hectares is not None:
        query = query.where(RegistrySite.hectares >= filters.min_hectares)
    if filters.rail:
        query = query.where(RegistrySite.rail_access.is_(True))
    if filters.port:
        query = query.where(RegistrySite.port_access.is_(True))
    if filters.icpe:
        query = query.where(RegistrySite.icpe == filters.icpe)
    return query.options(joinedload(RegistrySite.commune)).order_by(
        RegistrySite.departement_code, RegistrySite.name, RegistrySite.id)


def departements(conference_id: int) -> list[Territory]:
    """The départements that hold at least one site of the COP, by code (for the filter's choices)."""
    codes = select(RegistrySite.departement_code).where(RegistrySite.conference_id == conference_id).distinct()
    return list(db.session.scalars(select(Territory).where(Territory.kind == "departement",
                                                           Territory.code.in_(codes)).order_by(Territory.code)))


def departement_names(codes) -> dict[str, str]:
    """Code → name of the départements named."""
    return dict(db.session.execute(select(Territory.code, Territory.name)
                                   .where(Territory.kind == "departement", Territory.code.in_(set(codes)))).all())


def get_site(conference_id: int, site_id: int) -> RegistrySite:
    """A site of this very COP, with its links, or NotFound."""
    site = db.session.scalar(
        select(RegistrySite).where(RegistrySite.id == site_id, RegistrySite.conference_id == conference_id)
        .options(selectinload(RegistrySite.links).joinedload(SiteCommitment.commitment))) \
        if site_id <= MAX_ID else None
    if site is None:
        raise NotFound("Ce site n’existe pas dans le registre de cette COP.")
    return site
