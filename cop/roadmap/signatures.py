"""Signing the adopted roadmap: a head of delegation, re-authenticated, signs the version's hash for the party, once,
on the footing of an act (the council's deliberation or a delegation of signature) when the rules require one.

A version adopted by amendment is signed again only by the parties whose pledges it changed: the others' signature
of the version it amends still holds, the new version naming that version's hash (`effective_signature`).
"""
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import Conference, Party
from cop.db import db, utcnow
from cop.errors import Conflict, NotFound
from cop.filters import day
from cop.roadmap import acts
from cop.roadmap.models import RoadmapVersion, Signature
from cop.rulebook import Answer, ask, first_no, no, require
from cop.rulebook.states import object_allows
from cop.signing import PasswordRefused, attest, reauthenticate

__all__ = ["PasswordRefused", "reauthenticate", "sign", "may_sign", "signatories", "effective_signature"]


def signature_of(version: RoadmapVersion, party: Party) -> Optional[Signature]:
    """The party's signature of this version, if it signed."""
    return db.session.scalar(db.select(Signature).filter_by(version_id=version.id, party_id=party.id))


def concerned(version: RoadmapVersion) -> Optional[set[int]]:
    """The parties a version adopted by amendment asks to sign again (None: a version every party signs)."""
    amendment = (version.content or {}).get("amendment")
    return set(amendment["parties_concerned"]) if amendment else None


def _previous(version: RoadmapVersion) -> Optional[RoadmapVersion]:
    """The frozen version before this one."""
    from cop.roadmap.freeze import previous_frozen

    return previous_frozen(version)


def effective_signature(version: RoadmapVersion, party: Party) -> Optional[Signature]:
    """The party's signature that binds it to this version: its own, else — when the version amends another without
    touching the party's pledges — its signature of the amended version, and so on down the chain."""
    while version is not None:
        own = signature_of(version, party)
        if own is not None:
            return own
        asked = concerned(version)
        if asked is None or party.id in asked:
            return None
        version = _previous(version)
    return None


def may_sign(user: Optional[User], version: RoadmapVersion, party: Party) -> Answer:
    """May this person sign this version for this party now? The rulebook's answer, then the version's state."""
    answer = first_no(object_allows("roadmap.sign", version), ask("roadmap.sign", user, party))
    if not answer:
        return answer
    existing = effective_signature(version, party)
    if existing is not None and existing.version_id != version.id:
        return no(_l("La signature de « %(party)s » de la version %(n)s vaut pour celle-ci, qui ne change pas ses "
                     "engagements.", party=party.name, n=existing.version.number), Conflict)
    if existing is not None:
        return no(_l("« %(party)s » a déjà signé cette version le %(day)s.", party=party.name,
                     day=day(existing.signed_dt)), Conflict)
    return answer


def _check(user: User, version: RoadmapVersion, party: Party, conference: Conference) -> None:
    """Refuse a signature by the wrong person, at the wrong time, of the wrong version."""
    if party.conference_id != conference.id:
        raise NotFound("Cette partie n’appartient pas à cette COP.")
    require(may_sign(user, version, party))


def sign(user: User, version: RoadmapVersion, party: Party, seen_sha256: str, *, password: str,
         act: Optional[acts.ActInput] = None, client: str = "?") -> Signature:
    """Record the head of delegation's signature of the hash they were shown, with the act that authorises it."""
    conference = version.roadmap.conference
    act = attest(user, password=password, client=client, check=lambda: _check(user, version, party, conference),
                 seen_sha256=seen_sha256, sha256=version.sha256, act=act,
                 act_required=conference.signature_act_required,
                 stale=Conflict("L’empreinte que vous avez lue n’est pas celle de la version adoptée : relisez la "
                                "page avant de signer."))
    signature = Signature(version_id=version.id, party_id=party.id, user_id=user.id, sha256=version.sha256,
                          signed_dt=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(signature)
            db.session.flush()
    except IntegrityError:
        raise Conflict("« %(name)s » vient de signer cette version.", name=party.name) from None
    stored = acts.store(signature, act) if act is not None else None
    data = {"party": party.id, "sha256": version.sha256, "number": version.number}
    if stored is not None:
        data["act"] = {"kind": stored.kind, "number": stored.number, "sha256": stored.sha256}
    record("roadmap.signed", "roadmap_version", version.id, actor=user, conference_id=conference.id, data=data)
    return signature


def signatories(version: RoadmapVersion) -> tuple[list[tuple[Party, Signature]], list[Party]]:
    """Accredited parties that signed (with the signature that binds them: their own, or for a version adopted by
    amendment their signature of the version it amends) and those that have not."""
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=version.roadmap.conference_id,
                                                            accreditation="accredited").order_by(Party.name)).all()
    signed = {s.party_id: s for s in db.session.scalars(db.select(Signature).filter_by(version_id=version.id)
                                                        .options(selectinload(Signature.act),
                                                                 selectinload(Signature.user)))}
    if concerned(version) is not None:
        for party in parties:
            if party.id not in signed:
                found = effective_signature(version, party)
                if found is not None:
                    signed[party.id] = found
    return [(p, signed[p.id]) for p in parties if p.id in signed], [p for p in parties if p.id not in signed]
