"""Creating a COP and editing its calendar and rules, with optimistic concurrency."""
import re
from typing import Optional

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cop import permissions
from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import Conference, ConferenceRevision, Membership
from cop.conferences import procedure
from cop.conferences.rules import FIELD_LABELS, RULES, check_settings
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, NotFound
from cop.rulebook import allowed
from cop.territories.models import Territory

#: Short codes of the 18 regions, keyed by INSEE code, used in default COP codes.
REGION_SHORT_CODES = {
    "01": "GUA", "02": "MTQ", "03": "GUY", "04": "REU", "06": "MAY", "11": "IDF",
    "24": "CVL", "27": "BFC", "28": "NOR", "32": "HDF", "44": "GES", "52": "PDL",
    "53": "BRE", "75": "NAQ", "76": "OCC", "84": "AURA", "93": "PACA", "94": "COR",
}
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
EDITION_YEARS = range(2020, 2101)


def default_code(region: Territory, edition_year: int) -> str:
    """The usual reference of a COP, e.g. "COP-AURA-2027"."""
    return f"COP-{REGION_SHORT_CODES.get(region.code, region.code)}-{edition_year}"


def _clean_identity(region: Territory, edition_year: int, title: str, code: str) -> tuple[str, str]:
    """Check the year, title and code of a new COP; return the cleaned title and code."""
    if edition_year not in EDITION_YEARS:
        raise Invalid("L'année d'édition doit être comprise entre 2020 et 2100.")
    title = (title or "").strip() or f"COP industrielle {region.name} {edition_year}"
    if len(title) > 200:
        raise Invalid("Le titre compte 200 caractères au plus.")
    code = (code or "").strip().upper() or default_code(region, edition_year)
    if not CODE_RE.match(code):
        raise Invalid("Le code ne contient que des lettres, des chiffres et des tirets (3 à 40 caractères).")
    return title, code


def create_conference(user: User, region_id: Optional[int], edition_year: int, title: str = "",
                      code: str = "", description: str = "") -> Conference:
    """Open a COP for a region; its creator becomes its presidency."""
    region = db.session.get(Territory, region_id) if region_id else None
    if region is None or region.kind != "region":
        raise NotFound("Région inconnue.")
    if not permissions.can_create_conference(user, region.id):
        raise Forbidden("Vous ne pouvez ouvrir une COP que pour votre région.")
    title, code = _clean_identity(region, edition_year, title, code)
    if db.session.scalar(db.select(Conference.id).filter_by(region_id=region.id, edition_year=edition_year)):
        raise Invalid(
            "Une COP %(name)s existe déjà pour l'édition %(edition_year)s.",
            name=region.name, edition_year=edition_year)
    if db.session.scalar(db.select(Conference.id).filter_by(code=code)):
        raise Invalid("Le code « %(code)s » est déjà pris par une autre COP.", code=code)
    conference = Conference(region_id=region.id, edition_year=edition_year, title=title, code=code,
                            description=(description or "").strip())
    db.session.add(conference)
    try:
        db.session.flush()
    except IntegrityError:  # the same edition or code opened meanwhile by a concurrent request
        db.session.rollback()
        raise Conflict("Une COP vient d'être ouverte avec cette édition ou ce code : rechargez la page.") from None
    db.session.add(Membership(user_id=user.id, conference_id=conference.id, role="presidency",
                              is_accredited=True))
    db.session.flush()
    record("conference.created", "conference", conference.id, actor=user, conference_id=conference.id,
           data={"title": title, "code": code, "region": region.code, "edition": edition_year})
    return conference


def _who_changed_what(conference: Conference, since_version: int) -> str:
    """Describe the edits made after a version, in words, for a conflict message."""
    revisions = db.session.scalars(
        db.select(ConferenceRevision)
        .filter(ConferenceRevision.conference_id == conference.id, ConferenceRevision.version > since_version)
        .order_by(ConferenceRevision.version)
    ).all()
    parts = []
    for revision in revisions:
        names = ", ".join(str(FIELD_LABELS.get(name, name)) for name in revision.fields.split(","))
        parts.append(f"{revision.user.name} a modifié : {names}")
    return " ; ".join(parts) or "la COP a été modifiée"


def check_version(conference: Conference, version: Optional[int]) -> None:
    """Refuse a form read from an older version of the conference, saying what changed since."""
    if version is None or version == conference.version:
        return
    raise Conflict(
        "Cette COP a changé depuis l'ouverture de votre formulaire (%(changes)s). Rien n'a été "
        "enregistré : rechargez la page et refaites vos modifications.",
        changes=_who_changed_what(conference, version))


def record_revision(user: User, conference: Conference, fields: list[str]) -> None:
    """Flush the conference (its version goes up) and note which fields this edit changed."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("Cette COP vient d'être modifiée par quelqu'un d'autre : rechargez la page.") from None
    db.session.add(ConferenceRevision(conference_id=conference.id, version=conference.version,
                                      fields=",".join(fields), user_id=user.id))
    db.session.flush()



def _check_rules_open(user: User, conference: Conference) -> None:
    """Before the first plenary the presidency sets the rules; after it, only the plenary changes them."""
    allowed("rules.set", user, conference)


def update_settings(user: User, conference: Conference, version: Optional[int], values: dict) -> list[str]:
    """Change the title, description, calendar and rules at once; return the names of what changed."""
    allowed("conference.edit", user, conference)
    check_version(conference, version)
    values = check_settings(conference, values)
    changed = [name for name, value in values.items() if getattr(conference, name) != value]
    if not changed:
        return []
    rules_changed = [name for name in changed if name in RULES]
    if rules_changed:
        _check_rules_open(user, conference)
    for name in changed:
        setattr(conference, name, values[name])
    record_revision(user, conference, changed)
    if rules_changed:
        procedure.record_set(user, conference)
    record("conference.settings_changed", "conference", conference.id, actor=user, conference_id=conference.id,
           data={name: values[name] for name in changed})
    return changed

