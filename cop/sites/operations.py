"""Registering, editing and linking sites: the COP's managers, one transaction each, recorded in the audit log."""
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Optional

from sqlalchemy.orm.exc import StaleDataError

from cop.audit.services import record
from cop.commitments.models import Commitment
from cop.conferences.models import Conference
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid, NotFound
from cop.rulebook import allowed
from cop.seals import operations as seals
from cop.sites.models import IcpeRegime, RegistrySite, SiteCommitment, SiteStatus, SiteUse
from cop.territories.models import Commune

MAX_HECTARES = Decimal("100000")
MAX_POWER = Decimal("100000")


@dataclass
class SiteInput:
    """A site as typed in the form, already parsed."""

    name: str
    commune: Commune
    hectares: Decimal
    status: str
    owner: str = ""
    available_on: Optional[date] = None
    power_mw: Optional[Decimal] = None
    rail_access: bool = False
    port_access: bool = False
    icpe: str = IcpeRegime.NONE.value
    land_take_avoided_ha: Decimal = Decimal(0)
    description: str = ""


def _check(conference: Conference, data: SiteInput) -> None:
    """The domain's own conditions: a commune of the region, sizes within reason, known codes."""
    if data.commune.region_code != conference.region.code:
        raise Invalid("La commune %(commune)s n’est pas dans la région de cette COP.", commune=data.commune.name)
    if not data.name.strip():
        raise Invalid("Donnez un nom au site.")
    if not Decimal(0) < data.hectares <= MAX_HECTARES:
        raise Invalid("La surface doit être comprise entre 0 et %(max)s ha.", max=MAX_HECTARES)
    if data.power_mw is not None and not Decimal(0) <= data.power_mw <= MAX_POWER:
        raise Invalid("La puissance disponible doit être comprise entre 0 et %(max)s MW.", max=MAX_POWER)
    if not Decimal(0) <= data.land_take_avoided_ha <= MAX_HECTARES:
        raise Invalid("L’artificialisation évitée doit être comprise entre 0 et %(max)s ha.", max=MAX_HECTARES)
    if data.status not in set(SiteStatus.__members__.values()) or data.icpe not in set(
            IcpeRegime.__members__.values()):
        raise Invalid("Statut ou régime ICPE inconnu.")


def _fields(data: SiteInput) -> dict:
    """The columns a SiteInput writes."""
    values = asdict(data)
    commune = data.commune
    values.pop("commune")
    values["name"] = data.name.strip()
    return {**values, "commune_id": commune.id, "departement_code": commune.departement_code}


def _audit(action: str, user, site: RegistrySite, **extra) -> None:
    """One audit event naming the site."""
    record(action, "registry_site", site.id, actor=user, conference_id=site.conference_id,
           data={"name": site.name, "status": site.status, **extra})


def register(user, conference: Conference, data: SiteInput, sealed: bool = False, reason: str = "",
             announce_on: Optional[date] = None) -> RegistrySite:
    """Add a site to the COP's registry, sealed when it is confidential (its name, commune, owner, description)."""
    allowed("site.register", user, conference)
    _check(conference, data)
    site = RegistrySite(conference_id=conference.id, **_fields(data))
    db.session.add(site)
    if sealed:
        seals.seal(user, site, reason, announce_on)
    db.session.flush()
    _audit("site.registered", user, site)
    return site


def update(user, site: RegistrySite, seen_version: int, data: SiteInput) -> RegistrySite:
    """Edit a site from the copy read at `seen_version`; a stale copy is refused."""
    conference = db.session.get(Conference, site.conference_id)
    allowed("site.register", user, conference, site)
    _check(conference, data)
    if site.version != seen_version:
        raise Conflict("Ce site a été modifié depuis l’ouverture du formulaire : rechargez la page.")
    for name, value in _fields(data).items():
        setattr(site, name, value)
    site.updated_dt = utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("Ce site vient d’être modifié par quelqu’un d’autre : rechargez la page.") from None
    _audit("site.updated", user, site)
    return site


def link(user, site: RegistrySite, commitment_id: int, use: str) -> SiteCommitment:
    """Tie a filed commitment of the same COP to the site: it rehabilitates or uses it."""
    conference = db.session.get(Conference, site.conference_id)
    allowed("site.register", user, conference)
    if use not in set(SiteUse.__members__.values()):
        raise Invalid("Lien inconnu : le site est réhabilité ou utilisé.")
    commitment = db.session.get(Commitment, commitment_id) if 0 < commitment_id <= 2**31 - 1 else None
    if commitment is None or commitment.conference_id != site.conference_id or commitment.is_draft:
        raise NotFound("Cet engagement n’existe pas dans cette COP (ou n’est pas encore déposé).")
    if any(existing.commitment_id == commitment.id for existing in site.links):
        raise Conflict("Cet engagement est déjà lié à ce site.")
    item = SiteCommitment(site=site, commitment_id=commitment.id, use=use)
    db.session.add(item)
    db.session.flush()
    _audit("site.linked", user, site, commitment_id=commitment.id, use=use)
    return item


def unlink(user, site: RegistrySite, link_id: int) -> None:
    """Remove one link of the site."""
    conference = db.session.get(Conference, site.conference_id)
    allowed("site.register", user, conference)
    item = next((existing for existing in site.links if existing.id == link_id), None)
    if item is None:
        raise NotFound("Ce lien n’existe pas.")
    site.links.remove(item)
    db.session.flush()
    _audit("site.unlinked", user, site, commitment_id=item.commitment_id)
