"""Reading and setting a COP's identity: the deployment's defaults, the colour and logo checks."""
import hashlib
import io
from dataclasses import dataclass
from typing import Optional

from flask import current_app, url_for
from sqlalchemy import inspect

from cop import permissions
from cop.audit.services import record
from cop.conferences.models import Conference
from cop.db import db
from cop.conferences.rules import FieldsInvalid
from cop.errors import Forbidden, Invalid
from cop.identity import colours
from cop.identity.models import ConferenceIdentity

#: What an uploaded logo may be: raster formats only (an SVG can carry script), and how big.
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 2000
#: The logo is re-encoded to at most this size, as PNG, with no metadata.
LOGO_SIDE = 600


@dataclass(frozen=True)
class Identity:
    """What pages, the PDF and the projector show: never empty, the deployment filling the gaps."""

    organisation: str
    colour: str
    colour_dark: str
    contact: str
    logo_url: Optional[str]
    logo_alt: str
    css_url: Optional[str]


def _row(conference: Optional[Conference]) -> Optional[ConferenceIdentity]:
    """The COP's own identity row, if it has one."""
    if conference is None or conference.id is None:
        return None
    if "identity_row" not in inspect(conference).unloaded:  # loaded with the COP (`Conference.identity_row`)
        return conference.identity_row
    return db.session.scalar(db.select(ConferenceIdentity).filter_by(conference_id=conference.id))


def identity_for(conference: Optional[Conference] = None) -> Identity:
    """The identity to show for a COP (or, without one, the deployment's)."""
    config, row = current_app.config, _row(conference)
    default_name = config["COP_IDENTITY_NAME"] or (conference.region.name if conference is not None else "")
    colour = (row.colour if row and row.colour else None) or config["COP_IDENTITY_COLOUR"]
    logo_url = css_url = None
    if row and row.logo_key:
        logo_url = url_for("identity.logo", conference_id=conference.id, key=row.logo_key)
    if colour.lower() != "#000091":
        css_url = url_for("identity.stylesheet", colour=colour.lstrip("#").lower())
    organisation = (row.organisation if row and row.organisation else None) or default_name
    return Identity(organisation=organisation, colour=colour, colour_dark=colours.darker(colour),
                    contact=(row.contact if row and row.contact else None) or config["COP_IDENTITY_CONTACT"],
                    logo_url=logo_url, logo_alt=(row.logo_alt if row else "") or organisation, css_url=css_url)


def check_colour(text: str) -> str:
    """A brand colour that keeps text readable on white and white readable on it; else a clear refusal."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        ratio = colours.contrast(text)
    except ValueError:
        raise FieldsInvalid("La couleur doit s’écrire #rrvvbb (six chiffres hexadécimaux), par exemple #000091.",
                       ("colour",)) from None
    if ratio < colours.AA_RATIO:
        raise FieldsInvalid("La couleur %(colour)s n’offre qu’un contraste de %(ratio)s:1 avec le blanc ; il faut au "
                          "moins 4,5:1 (RGAA, WCAG 2.1 AA). Choisissez une teinte plus foncée.", ("colour",),
                       colour=text, ratio=f"{ratio:.2f}")
    return text.lower()


def clean_logo(data: bytes) -> bytes:
    """The uploaded logo re-encoded as a plain PNG (no metadata, at most LOGO_SIDE pixels); raster images only."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        raise FieldsInvalid("Le logo pèse %(size)s Ko ; 512 Ko au plus.", ("logo",), size=len(data) // 1024)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind, size = probe.format, probe.size
            probe.verify()
        if kind not in LOGO_FORMATS:
            raise UnidentifiedImageError(kind)
        if max(size) > LOGO_MAX_SIDE:
            raise FieldsInvalid("Le logo mesure %(width)s×%(height)s pixels ; %(max)s au plus de côté.", ("logo",),
                           width=size[0], height=size[1], max=LOGO_MAX_SIDE)
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((LOGO_SIDE, LOGO_SIDE))
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG", optimize=True)
    except Invalid:
        raise
    except Exception:  # noqa: BLE001  (Pillow raises many kinds of errors on hostile files)
        raise FieldsInvalid("Le logo doit être une image PNG, JPEG ou WebP valide (le SVG n’est pas accepté).",
                       ("logo",)) from None
    return out.getvalue()


def set_identity(user, conference: Conference, organisation: str, colour: str, contact: str,
                 logo: Optional[bytes] = None, logo_alt: str = "", remove_logo: bool = False) -> ConferenceIdentity:
    """The presidency or the secretariat sets the COP's identity (flushed, not committed)."""
    if not permissions.can_manage_conference(user, conference):
        raise Forbidden("Seules la présidence et le secrétariat de la COP en règlent l’identité.")
    colour = check_colour(colour)
    png = clean_logo(logo) if logo else None
    row = _row(conference) or ConferenceIdentity(conference_id=conference.id)
    row.organisation, row.colour = organisation.strip()[:160], colour
    row.contact, row.logo_alt = contact.strip()[:300], logo_alt.strip()[:160]
    if png is not None:
        row.logo_png, row.logo_key = png, hashlib.sha256(png).hexdigest()[:16]
    elif remove_logo:
        row.logo_png, row.logo_key = None, ""
    db.session.add(row)
    db.session.flush()
    record("conference.identity", "conference", conference.id, actor=user, conference_id=conference.id,
           data={"organisation": row.organisation, "colour": row.colour, "logo": row.logo_key})
    return row


def logo_png(conference: Conference, key: str) -> Optional[bytes]:
    """The stored logo, when the key is the current one."""
    row = _row(conference)
    return row.logo_png if row and row.logo_key and row.logo_key == key else None


def current_logo(conference: Conference) -> Optional[bytes]:
    """The COP's logo as stored, if it has one."""
    row = _row(conference)
    return row.logo_png if row and row.logo_key else None
