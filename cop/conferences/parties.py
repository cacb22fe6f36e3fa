"""Inviting the parties of a COP (its EPCI, its Region, named organisations) and accrediting them."""
from sqlalchemy.exc import IntegrityError

from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import ACCREDITATIONS, Conference, Party
from cop.db import db
from cop.rulebook import allowed, allowed_phases, require
from cop.rulebook.states import accreditation_allows
from cop.errors import Conflict, Invalid, NotFound
from cop.territories.models import Territory

INVITING_PHASES = allowed_phases("party.invite")
ORGANISATION_KINDS = ("state", "sector_committee", "organisation")
TERRITORY_LABELS = {"region": "région", "departement": "département", "epci": "EPCI"}


def _guard(user: User, conference: Conference, action: str = "party.invite") -> None:
    """Only the conference's managers change its parties, and only in the phases the rulebook gives."""
    allowed(action, user, conference)


def _flush_new_parties() -> None:
    """Write the new parties; a territory seated meanwhile by a concurrent request is a conflict."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("Une autre invitation vient d'être enregistrée en même temps : rechargez la page.") from None


def _party_territory_ids(conference: Conference) -> set[int]:
    """The territories already party to the conference."""
    return set(db.session.scalars(
        db.select(Party.territory_id).filter(Party.conference_id == conference.id, Party.territory_id.is_not(None))
    ))


def invite_all_epci(user: User, conference: Conference) -> list[Party]:
    """Make every EPCI of the region a party (invited); return the parties added."""
    _guard(user, conference)
    present = _party_territory_ids(conference)
    epcis = db.session.scalars(
        db.select(Territory).filter_by(kind="epci", region_id=conference.region_id).order_by(Territory.name)
    ).all()
    new = [Party(conference_id=conference.id, territory_id=epci.id, name=epci.name, kind="epci",
                 accreditation="invited") for epci in epcis if epci.id not in present]
    db.session.add_all(new)
    _flush_new_parties()
    if new:
        record("party.invited", "conference", conference.id, actor=user, conference_id=conference.id,
               data={"parties": [p.id for p in new], "kind": "epci"})
    return new


def _add_territory(conference: Conference, territory: Territory) -> Party:
    """Make a territory a party, refusing a second seat."""
    if territory.id in _party_territory_ids(conference):
        raise Invalid("« %(name)s » est déjà partie à cette COP.", name=territory.name)
    party = Party(conference_id=conference.id, territory_id=territory.id, name=territory.name,
                  kind=territory.kind, accreditation="invited")
    db.session.add(party)
    _flush_new_parties()
    return party


def _invited(user: User, party: Party) -> Party:
    """Record one invitation in the audit log and return the party."""
    record("party.invited", "party", party.id, actor=user, conference_id=party.conference_id,
           data={"name": party.name, "kind": party.kind})
    return party


def invite_region(user: User, conference: Conference) -> Party:
    """Make the host Region itself a party."""
    _guard(user, conference)
    return _invited(user, _add_territory(conference, conference.region))


def invite_territory(user: User, conference: Conference, kind: str, code: str) -> Party:
    """Make a territory named by its official code (INSEE or SIREN) a party."""
    _guard(user, conference)
    if kind not in TERRITORY_LABELS:  # an EPT is no EPCI à fiscalité propre: never a party
        raise Invalid("Type de territoire inconnu : choisissez région, département ou EPCI.")
    code = (code or "").strip().upper()
    territory = db.session.scalar(db.select(Territory).filter_by(kind=kind, code=code))
    if territory is None:
        raise NotFound(
            "Aucun territoire de type %(kind)s ne porte le code « %(code)s ». Vérifiez le code INSEE "
            "(région, département) ou SIREN (EPCI).",
            kind=TERRITORY_LABELS[kind], code=code[:20])
    return _invited(user, _add_territory(conference, territory))


def invite_organisation(user: User, conference: Conference, name: str, kind: str) -> Party:
    """Make a named organisation (State services, a sector committee, another body) a party."""
    _guard(user, conference)
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise Invalid("Le nom de l'organisation est obligatoire (200 caractères au plus).")
    if kind not in ORGANISATION_KINDS:
        raise Invalid("Type d'organisation inconnu.")
    taken = db.session.scalar(db.select(Party.id).filter(Party.conference_id == conference.id,
                                                          db.func.lower(Party.name) == name.lower()))
    if taken:
        raise Invalid("Une partie nommée « %(name)s » existe déjà dans cette COP.", name=name)
    party = Party(conference_id=conference.id, name=name, kind=kind, accreditation="invited")
    db.session.add(party)
    db.session.flush()
    return _invited(user, party)


def set_accreditation(user: User, party: Party, accreditation: str) -> bool:
    """Accredit, suspend or re-invite a party; return whether anything changed."""
    _guard(user, party.conference, "party.accredit")
    if accreditation not in ACCREDITATIONS:
        raise Invalid("Accréditation inconnue.")
    if party.accreditation == accreditation:
        return False
    require(accreditation_allows(party.accreditation, accreditation))
    record("party.accreditation_set", "party", party.id, actor=user, conference_id=party.conference_id,
           data={"from": party.accreditation, "to": accreditation})
    party.accreditation = accreditation
    db.session.flush()
    return True


def accredit_all_invited(user: User, conference: Conference) -> int:
    """Accredit every party still only invited; return how many."""
    _guard(user, conference)
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=conference.id, accreditation="invited"))
    count = 0
    ids = []
    for party in parties:
        party.accreditation = "accredited"
        ids.append(party.id)
        count += 1
    db.session.flush()
    if ids:
        record("party.accreditation_set", "conference", conference.id, actor=user, conference_id=conference.id,
               data={"parties": ids, "to": "accredited"})
    return count
