"""Small builders for test data; each flushes and returns what it made (the test commits)."""
from decimal import Decimal
from itertools import count

from cop.auth.models import User
from cop.auth.passwords import hash_password
from cop.conferences.models import Conference, Membership, Party, Target
from cop.db import db
from cop.reference.models import Indicator, Sector
from cop.reference.seed import load_reference
from cop.territories.models import Commune, CommunePostcode, Territory
from cop.territories.text import normalize

PASSWORD = "motdepasse-de-test"
_seq = count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    """Hash once per password and reuse it: hashing in every test is slow."""
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def user(email: str | None = None, name: str = "Camille Martin", password: str = PASSWORD, **kw) -> User:
    """An account with a known password."""
    item = User(email=email or f"user{next(_seq)}@example.fr", name=name, password_hash=_hash(password), **kw)
    db.session.add(item)
    db.session.flush()
    return item


def territory(kind: str = "epci", code: str | None = None, name: str | None = None, population: int = 50000,
              region: Territory | None = None, legal_form: str | None = None) -> Territory:
    """A territory; EPCI default to a CC with a fake SIREN."""
    code = code or f"2{next(_seq):08d}"
    name = name or f"Communauté de communes {code}"
    if kind == "epci" and legal_form is None:
        legal_form = "CC"
    item = Territory(kind=kind, code=code, name=name, search_name=normalize(name), population=population,
                     region_id=region.id if region else None, legal_form=legal_form)
    db.session.add(item)
    db.session.flush()
    return item


def region(code: str = "84", name: str = "Auvergne-Rhône-Alpes", population: int = 8_000_000) -> Territory:
    """A region (AURA by default)."""
    return territory(kind="region", code=code, name=name, population=population)


def commune(epci: Territory, code: str, name: str, postcodes: tuple[str, ...], population: int = 1000) -> Commune:
    """A commune of an EPCI, with its postcodes."""
    item = Commune(code=code, name=name, search_name=normalize(name), population=population, epci_id=epci.id,
                   departement_code=code[:2], region_code="84")
    db.session.add(item)
    db.session.flush()
    for postcode in postcodes:
        db.session.add(CommunePostcode(commune_id=item.id, postcode=postcode))
    db.session.flush()
    return item


def reference() -> tuple[list[Sector], list[Indicator]]:
    """The 19 filières and the indicator catalogue, from the seeds."""
    load_reference(db.session)
    db.session.flush()
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position)).all()
    indicators = db.session.scalars(db.select(Indicator).order_by(Indicator.position)).all()
    return list(sectors), list(indicators)


def conference(region_territory: Territory | None = None, phase: str = "preparation", **kw) -> Conference:
    """A COP for a region (a new AURA region when none is given)."""
    region_territory = region_territory or region()
    year = kw.pop("edition_year", 2027)
    item = Conference(region_id=region_territory.id, edition_year=year, phase=phase,
                      title=kw.pop("title", f"COP industrielle {region_territory.name} {year}"),
                      code=kw.pop("code", f"COP-{region_territory.code}-{year}-{next(_seq)}"), **kw)
    db.session.add(item)
    db.session.flush()
    return item


def party(conf: Conference, terr: Territory | None = None, accreditation: str = "accredited", **kw) -> Party:
    """A party of a conference: a territory (a new EPCI of the region when none is given)."""
    if terr is None and "name" not in kw:
        terr = territory(region=conf.region)
    item = Party(conference_id=conf.id, territory_id=terr.id if terr else None,
                 name=kw.pop("name", terr.name if terr else "Organisation"),
                 kind=kw.pop("kind", terr.kind if terr else "organisation"),
                 accreditation=accreditation, **kw)
    db.session.add(item)
    db.session.flush()
    return item


def member(conf: Conference, role: str, party_obj: Party | None = None, user_obj: User | None = None,
           **kw) -> User:
    """A user holding a role in a conference; returns the user."""
    user_obj = user_obj or user()
    db.session.add(Membership(user_id=user_obj.id, conference_id=conf.id, role=role,
                              party_id=party_obj.id if party_obj else None,
                              is_accredited=kw.pop("is_accredited", True), **kw))
    db.session.flush()
    return user_obj


def target(conf: Conference, sector: Sector, indicator: Indicator, value: str | int, year: int = 2030) -> Target:
    """A regional target."""
    item = Target(conference_id=conf.id, sector_id=sector.id, indicator_id=indicator.id, year=year,
                  value=Decimal(str(value)))
    db.session.add(item)
    db.session.flush()
    return item
