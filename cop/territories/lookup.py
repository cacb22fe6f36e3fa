"""Finding the commune an officer means: by INSEE code, postcode or name, with a clear answer when ambiguous."""
import re
from typing import Optional

from cop.db import db
from cop.errors import Invalid
from cop.territories.models import Commune, CommunePostcode
from cop.territories.text import normalize

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
        raise Invalid("Aucune commune ne correspond à « %(text)s » : vérifiez l’orthographe ou le code postal.",
                      text=text[:60])
    if len(candidates) > 1:
        listed = ", ".join(label(c) for c in candidates[:MAX_LISTED])
        more = "…" if len(candidates) > MAX_LISTED else ""
        raise Invalid("Plusieurs communes correspondent à « %(text)s » : %(listed)s ; précisez en recopiant "
                      "l’une d’elles.", text=text[:60], listed=listed + more)
    return candidates[0]


def _by_code(code: str) -> list[Commune]:
    """The commune with this INSEE code, else the communes with this postcode."""
    commune = db.session.scalar(db.select(Commune).filter_by(code=code))
    if commune is not None:
        return [commune]
    return list(db.session.scalars(db.select(Commune).join(CommunePostcode)
                                   .where(CommunePostcode.postcode == code).order_by(Commune.name)))


def _by_name(text: str) -> list[Commune]:
    """The communes of that name (accents, case and hyphens ignored)."""
    return list(db.session.scalars(db.select(Commune).where(Commune.search_name == normalize(text))
                                   .order_by(Commune.code).limit(MAX_LISTED + 1)))
