"""Finding the commune an officer means: by INSEE code, postcode or name, with a clear answer when ambiguous."""
import re
from typing import Optional

from cop.db import db
from cop.errors import Invalid
from cop.territories import names
from cop.territories.models import Arrondissement, Commune, CommunePostcode

_CODE = re.compile(r"^(?:.*\()?\s*(\d[0-9AB]\d{3})\s*\)?$")
MAX_LISTED = 8


def label(commune: Commune) -> str:
    """How a commune is written back in a form: its name and INSEE code."""
    return f"{commune.name} ({commune.code})"


def code_in(text: str) -> str:
    """The INSEE code in a text written by `label()` (or the text itself, stripped)."""
    match = _CODE.match(text.strip().upper())
    return match.group(1) if match else text.strip()


def find_commune(text: str, region_code: Optional[str] = None) -> Commune:
    """The one commune named by an INSEE code, a postcode or a name; Invalid when none or several match."""
    text = (text or "").strip()
    if not text:
        raise Invalid("Indiquez la commune du site (nom, code postal ou code INSEE).")
    match = _CODE.match(text.upper())
    candidates = _by_code(match.group(1)) if match else _by_name(text)
    if region_code and len(candidates) > 1:
        candidates = [c for c in candidates if c.region_code == region_code] or candidates
    if not candidates:
        close = [] if match else _close(text)
        if close:
            raise Invalid("Aucune commune ne porte le nom « %(text)s ». Les noms les plus proches : %(listed)s ; "
                          "recopiez l’un d’eux.", text=text[:60], listed=", ".join(close))
        raise Invalid("Aucune commune ne correspond à « %(text)s » : vérifiez l’orthographe ou le code postal.",
                      text=text[:60])
    if len(candidates) > 1:
        listed = ", ".join(label(c) for c in candidates[:MAX_LISTED])
        more = "…" if len(candidates) > MAX_LISTED else ""
        raise Invalid("Plusieurs communes correspondent à « %(text)s » : %(listed)s ; précisez en recopiant "
                      "l’une d’elles.", text=text[:60], listed=listed + more)
    return candidates[0]


def _by_code(code: str) -> list[Commune]:
    """The commune with this INSEE code (or the commune of this arrondissement), else the communes of a postcode."""
    commune = db.session.scalar(db.select(Commune).filter_by(code=code))
    if commune is None:
        commune = db.session.scalar(db.select(Commune).join(Arrondissement, Arrondissement.commune_id == Commune.id)
                                    .where(Arrondissement.code == code))
    if commune is not None:
        return [commune]
    return list(db.session.scalars(db.select(Commune).join(CommunePostcode)
                                   .where(CommunePostcode.postcode == code).order_by(Commune.name)))


def _by_name(text: str) -> list[Commune]:
    """The communes of that name, or of that arrondissement (accents, case, hyphens and "St"/"Ste" forgiven)."""
    found = names.index().find(text, MAX_LISTED + 1)
    ids = {m.place.ref_id for m in found if m.tier == 0 and m.place.kind in ("commune", "arrondissement")}
    if not ids:
        return []
    return list(db.session.scalars(db.select(Commune).where(Commune.id.in_(ids))
                                   .order_by(Commune.code).limit(MAX_LISTED + 1)))


def _close(text: str) -> list[str]:
    """The names of the communes spelt most like a text that matched none, as `label()` writes them."""
    found = names.index().close(names.key(text[:100]), MAX_LISTED)
    ids = [m.place.ref_id for m in found if m.place.kind in ("commune", "arrondissement")][:5]
    communes = {c.id: c for c in db.session.scalars(db.select(Commune).where(Commune.id.in_(ids)))} if ids else {}
    return list(dict.fromkeys(label(communes[i]) for i in ids if i in communes))
