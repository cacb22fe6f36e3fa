"""Find an intercommunality from what a citizen types: a town name or a postcode."""
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop.db import db
from cop.territories.models import Commune, CommunePostcode, Territory
from cop.territories.text import normalize

POSTCODE = re.compile(r"^\d{5}$")
MAX_QUERY = 100
MAX_MATCHES = 200


@dataclass
class Lookup:
    """What a query found: communes (with their EPCI) and EPCI named directly."""

    query: str
    communes: list[Commune] = field(default_factory=list)
    epcis: list[Territory] = field(default_factory=list)

    @property
    def single_epci(self) -> Territory | None:
        """The one intercommunality every match points to, or None when there are several (or none)."""
        found = {c.epci_id: c.epci for c in self.communes if c.epci is not None}
        found.update({t.id: t for t in self.epcis})
        orphans = [c for c in self.communes if c.epci is None]
        return next(iter(found.values())) if len(found) == 1 and not orphans else None


def _like(text: str) -> str:
    """A LIKE prefix pattern with the wildcards of the input escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _communes(condition) -> list[Commune]:
    """Communes matching a condition, largest first, with their EPCI and postcodes."""
    query = (select(Commune).where(condition).options(selectinload(Commune.epci), selectinload(Commune.postcodes))
             .order_by(Commune.population.desc(), Commune.code).limit(MAX_MATCHES))
    return list(db.session.scalars(query))


def lookup(text: str) -> Lookup:
    """Match a postcode exactly, else a commune name exactly, else commune and EPCI names by prefix."""
    raw = (text or "").strip()[:MAX_QUERY]
    result = Lookup(query=raw)
    if POSTCODE.match(raw):
        codes = select(CommunePostcode.commune_id).where(CommunePostcode.postcode == raw)
        result.communes = _communes(Commune.id.in_(codes))
        return result
    name = normalize(raw)
    if len(name) < 2:
        return result
    result.communes = _communes(Commune.search_name == name)
    if result.communes:
        return result
    result.communes = _communes(Commune.search_name.like(_like(name), escape="\\"))
    result.epcis = list(db.session.scalars(
        select(Territory).where(Territory.kind == "epci", Territory.search_name.like("%" + _like(name), escape="\\"))
        .order_by(Territory.search_name).limit(MAX_MATCHES)))
    return result
