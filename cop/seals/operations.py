"""Sealing, revealing and reading sealed content — the same for projects, commitments and sites.

Each is a state change the caller commits. Who may (the holder seals and reveals; the presidency reveals at the
date, after warning; the rules of procedure name who reads before the reveal) is the rulebook's `seal.*` rules.
"""
import json
from datetime import date, datetime, timedelta
from typing import Optional

from cop import canonical
from cop.audit.services import record
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid
from cop.rulebook import allowed, require
from cop.rulebook.states import seal_reveal_due
from cop.seals import digest, kinds

#: How long before its announcement date the holder is warned that the presidency will reveal the content.
NOTICE = timedelta(days=7)


def checked(reason: str, announce_on: Optional[date], today: date) -> None:
    """A confidential content says why, and when it will be announced (today or later)."""
    if not (reason or "").strip():
        raise Invalid("Indiquez pourquoi le contenu est confidentiel.")
    if len(reason) > 1000:
        raise Invalid("Le motif de la confidentialité tient en 1 000 caractères au plus.")
    if announce_on is None or announce_on < today:
        raise Invalid("Indiquez la date d’annonce prévue (aujourd’hui ou plus tard).")


def audit_data(obj) -> dict:
    """What the public audit chain holds of a sealed object: its reference and seal, never its hidden content."""
    kind = kinds.of(obj)
    return {"kind": kind.code, "ref": kind.ref(obj), "sealed": True, "seal": obj.seal_digest,
            "announce_on": obj.announce_on}


def seal(user, obj, reason: str, announce_on: Optional[date]) -> None:
    """Mark an unpublished object confidential: publish the seal of its hidden content, empty the hidden fields."""
    kind = kinds.of(obj)
    with db.session.no_autoflush:
        allowed("seal.seal", user, obj, obj)
    checked(reason, announce_on, utcnow().date())
    obj.is_sealed, obj.seal_reason, obj.announce_on = True, reason.strip(), announce_on
    hidden = kind.content(obj)
    digest.draw(obj, hidden)
    if kind.vaulted:
        obj.seal_vault = canonical.dumps(hidden)
        kind.hide(obj)
    db.session.flush()
    record(f"{kind.code}.sealed", kind.table, obj.id, actor=user, conference_id=obj.conference_id,
           data=audit_data(obj))


def vault(obj) -> dict:
    """The hidden content of a vaulted object while it is sealed."""
    return json.loads(obj.seal_vault or "{}")


def hidden_content(obj) -> dict:
    """The hidden content of any sealed object, revealed or not."""
    kind = kinds.of(obj)
    return vault(obj) if kind.vaulted and obj.is_hidden else kind.content(obj)


def reseal(obj, hidden: dict, actor=None) -> None:
    """The hidden content grew while sealed (a commitment's new version): a new published seal, same salt — so each
    seal published before stays recomputable from the revealed content (`past_seals`)."""
    kind = kinds.of(obj)
    obj.seal_digest = digest.digest(obj.seal_salt, hidden)
    obj.seal_vault = canonical.dumps(hidden)
    db.session.flush()
    record(f"{kind.code}.resealed", kind.table, obj.id, actor=actor, conference_id=obj.conference_id,
           data=audit_data(obj))


def past_seals(obj) -> set[str]:
    """Every seal the object has published, recomputed from its hidden content and its salt."""
    kind = kinds.of(obj)
    return {digest.digest(obj.seal_salt, item) for item in kind.history(hidden_content(obj))}


def publish(obj, actor, now: datetime) -> None:
    """Publish the content; it must hash to the seal published before."""
    kind = kinds.of(obj)
    if not obj.is_hidden:
        raise Conflict("Ce contenu n’est pas (ou plus) scellé.")
    hidden = hidden_content(obj)
    if not digest.matches(obj, hidden):
        raise Conflict("Le contenu ne correspond plus à son sceau : révélation refusée.")
    if kind.vaulted:
        kind.restore(obj, hidden)
        obj.seal_vault = None
        db.session.flush()
        if not digest.matches(obj, kind.content(obj)):
            raise Conflict("Le contenu ne correspond plus à son sceau : révélation refusée.")
    obj.revealed_dt, obj.revealed_by_id = now, getattr(actor, "id", None)
    db.session.flush()
    record(f"{kind.code}.revealed", kind.table, obj.id, actor=actor, conference_id=obj.conference_id,
           data=audit_data(obj))


def reveal(user, obj) -> None:
    """The holder announces it: the content is published and checkable against the seal."""
    allowed("seal.reveal", user, obj, obj)
    publish(obj, user, utcnow())


def reveal_due(user, obj, now: Optional[datetime] = None) -> None:
    """The presidency reveals it at its announcement date, once the holder was warned."""
    now = now or utcnow()
    allowed("seal.reveal_due", user, obj)
    require(seal_reveal_due(obj, now, NOTICE))
    publish(obj, user, now)


def read_sealed(user, obj) -> dict:
    """The hidden content, for the holder and those the rules of procedure name; every read is in the audit chain."""
    kind = kinds.of(obj)
    allowed("seal.read", user, obj)
    if obj.is_hidden:
        record(f"{kind.code}.sealed_read", kind.table, obj.id, actor=user, conference_id=obj.conference_id,
               data={"kind": kind.code, "ref": kind.ref(obj), "seal": obj.seal_digest})
    return hidden_content(obj)


def hidden(conference=None) -> list:
    """Every sealed object not yet revealed (of one COP, or of all), by announcement date."""
    out = []
    for kind in kinds.all_kinds():
        model = kind.model
        query = db.select(model).where(model.is_sealed.is_(True), model.revealed_dt.is_(None))
        if conference is not None:
            query = query.where(model.conference_id == conference.id)
        out += db.session.scalars(query).all()
    return sorted(out, key=lambda o: (o.announce_on, kinds.of(o).code, o.id))


def get(conference, kind_slug: str, ref: int):
    """A sealed object of the COP by its kind's word and its reference, or a French 404."""
    from cop.errors import NotFound

    kind = kinds.by_slug(kind_slug)
    found = None
    if kind is not None and 0 < ref <= 2**31 - 1:
        model = kind.model
        found = db.session.scalar(db.select(model).where(model.conference_id == conference.id,
                                                         getattr(model, kind.ref_column) == ref,
                                                         model.is_sealed.is_(True)))
    if found is None:
        raise NotFound("Aucun contenu scellé sous cette référence dans cette COP.")
    return found
