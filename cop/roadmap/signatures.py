"""Signing the adopted roadmap: a head of delegation signs the version's hash for the party, once."""
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import Conference, Party
from cop.db import db, utcnow
from cop.errors import Conflict, NotFound
from cop.filters import day
from cop.roadmap.models import RoadmapVersion, Signature
from cop.rulebook import Answer, ask, first_no, no, require
from cop.rulebook.states import object_allows


def signature_of(version: RoadmapVersion, party: Party) -> Optional[Signature]:
    """The party's signature of this version, if it signed."""
    return db.session.scalar(db.select(Signature).filter_by(version_id=version.id, party_id=party.id))


def may_sign(user: Optional[User], version: RoadmapVersion, party: Party) -> Answer:
    """May this person sign this version for this party now? The rulebook's answer, then the version's state."""
    answer = first_no(object_allows("roadmap.sign", version), ask("roadmap.sign", user, party))
    if not answer:
        return answer
    existing = signature_of(version, party)
    if existing is not None:
        return no(_l("« %(party)s » a déjà signé cette version le %(day)s.", party=party.name,
                     day=day(existing.signed_dt)), Conflict)
    return answer


def _check(user: User, version: RoadmapVersion, party: Party, conference: Conference) -> None:
    """Refuse a signature by the wrong person, at the wrong time, of the wrong version."""
    if party.conference_id != conference.id:
        raise NotFound("Cette partie n’appartient pas à cette COP.")
    require(may_sign(user, version, party))


def sign(user: User, version: RoadmapVersion, party: Party, seen_sha256: str) -> Signature:
    """Record the head of delegation's signature of the hash they were shown."""
    conference = version.roadmap.conference
    _check(user, version, party, conference)
    if (seen_sha256 or "").strip().lower() != version.sha256:
        raise Conflict("L’empreinte que vous avez lue n’est pas celle de la version adoptée : relisez la page "
                       "avant de signer.")
    signature = Signature(version_id=version.id, party_id=party.id, user_id=user.id, sha256=version.sha256,
                          signed_dt=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(signature)
            db.session.flush()
    except IntegrityError:
        raise Conflict("« %(name)s » vient de signer cette version.", name=party.name) from None
    record("roadmap.signed", "roadmap_version", version.id, actor=user, conference_id=conference.id,
                 data={"party": party.id, "sha256": version.sha256, "number": version.number})
    return signature


def signatories(version: RoadmapVersion) -> tuple[list[tuple[Party, Signature]], list[Party]]:
    """Accredited parties that signed (with their signature) and those that have not, in two queries."""
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=version.roadmap.conference_id,
                                                            accreditation="accredited").order_by(Party.name)).all()
    signed = {s.party_id: s for s in db.session.scalars(db.select(Signature).filter_by(version_id=version.id))}
    return [(p, signed[p.id]) for p in parties if p.id in signed], [p for p in parties if p.id not in signed]
