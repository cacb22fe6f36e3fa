"""Find an intercommunality from what a citizen types: a town name (spelt any way), an arrondissement or a postcode.

A postcode (or an INSEE code) is looked up in the database; a name goes through the place index
(`cop/territories/names.py`): exact names first, else names starting with what was typed, else the closest
spellings. An arrondissement of Paris, Lyon or Marseille leads to its commune; a commune of the Métropole du Grand
Paris shows its établissement public territorial beside the Métropole.
"""
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop.db import db
from cop.territories import names
from cop.territories.models import Arrondissement, Commune, CommunePostcode, Territory

POSTCODE = re.compile(r"^\d{5}$|^2[AB]\d{3}$")
MAX_QUERY = 100
MAX_MATCHES = 200
#: Close spellings offered when nothing matches exactly or by prefix.
MAX_CLOSE = 10


@dataclass
class Lookup:
    """What a query found: communes (with their EPCI and EPT) and EPCI or EPT named directly."""

    query: str
    communes: list[Commune] = field(default_factory=list)
    epcis: list[Territory] = field(default_factory=list)
    #: commune id → the arrondissement name typed ("Lyon 3e Arrondissement"), shown beside the commune.
    via: dict[int, str] = field(default_factory=dict)
    #: True when nothing matched as typed and these are the closest spellings.
    approximate: bool = False

    @property
    def single_epci(self) -> Territory | None:
        """The one intercommunality every match points to, or None when there are several (or none), when a match
        lies in an établissement public territorial (the page then shows both), or when the match is only close."""
        if self.approximate or any(c.ept_id for c in self.communes) or any(t.kind == "ept" for t in self.epcis):
            return None
        found = {c.epci_id: c.epci for c in self.communes if c.epci is not None}
        found.update({t.id: t for t in self.epcis})
        orphans = [c for c in self.communes if c.epci is None]
        return next(iter(found.values())) if len(found) == 1 and not orphans else None


def _communes(condition) -> list[Commune]:
    """Communes matching a condition, largest first, with their EPCI, EPT and postcodes."""
    query = (select(Commune).where(condition)
             .options(selectinload(Commune.epci), selectinload(Commune.ept), selectinload(Commune.postcodes))
             .order_by(Commune.population.desc(), Commune.code).limit(MAX_MATCHES))
    return list(db.session.scalars(query))


def _by_code(code: str) -> list[Commune]:
    """The communes of a postcode, else the commune (or arrondissement's commune) of an INSEE code."""
    found = _communes(Commune.id.in_(select(CommunePostcode.commune_id).where(CommunePostcode.postcode == code)))
    if found:
        return found
    arrondissement = select(Arrondissement.commune_id).where(Arrondissement.code == code)
    return _communes((Commune.code == code) | Commune.id.in_(arrondissement))


def lookup(text: str) -> Lookup:
    """Match a postcode or an INSEE code exactly, else names through the place index."""
    raw = (text or "").strip()[:MAX_QUERY]
    result = Lookup(query=raw)
    if POSTCODE.match(raw.upper()):
        result.communes = _by_code(raw.upper())
        return result
    matches = names.index().find(raw, MAX_MATCHES)
    if matches and matches[0].tier == 2:
        matches, result.approximate = matches[:MAX_CLOSE], True
    commune_ids = [m.place.ref_id for m in matches if m.place.kind in ("commune", "arrondissement")]
    loaded = {c.id: c for c in _communes(Commune.id.in_(commune_ids))} if commune_ids else {}
    territory_ids = [m.place.ref_id for m in matches if m.place.kind in ("epci", "ept")]
    territories = {t.id: t for t in db.session.scalars(select(Territory).where(Territory.id.in_(territory_ids)))} \
        if territory_ids else {}
    for match in matches:
        place = match.place
        if place.kind in ("epci", "ept"):
            if place.ref_id in territories:
                result.epcis.append(territories[place.ref_id])
            continue
        commune = loaded.get(place.ref_id)
        if commune is None or commune in result.communes:
            continue
        result.communes.append(commune)
        if place.kind == "arrondissement":
            result.via[commune.id] = place.name
    return result
