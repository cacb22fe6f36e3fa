"""Invitations in bulk from a CSV file (all or nothing, every bad line listed), resent, and cancelled."""
import csv
import io
from datetime import timedelta
from dataclasses import dataclass
from typing import Optional

from cop import labels
from cop.audit.services import record
from cop.auth.invitations import invite, pending
from cop.auth.models import AccountToken, User
from cop.auth.services import normalize_email
from cop.commitments.csv_import import ImportRefused, decode
from cop.dashboard.staff import pending_invitations
from cop.conferences.models import ROLES, Conference, Party
from cop.db import db, utcnow
from cop.errors import N_, DomainError, Forbidden, Invalid, NotFound
from cop.permissions import can_invite
from cop.territories.models import Territory

COLUMNS = ("nom", "courriel", "role", "partie", "langue")
#: The "langue" column: empty for the COP's language.
LANGUAGES = {"fr": "fr", "français": "fr", "francais": "fr", "en": "en", "anglais": "en", "english": "en"}
MAX_LINES = 1000


@dataclass
class Invited:
    """One invitation made: the address, its link's secret, the role and the party."""

    name: str
    email: str
    secret: str
    role: str
    party: Optional[Party]
    #: The invitation's language, None for the COP's.
    language: Optional[str] = None


class BulkRefused(Invalid):
    """The file was refused; nobody was invited. `problems` lists every bad line with its reason."""

    def __init__(self, problems: list[str]):
        super().__init__(N_("Personne n’a été invité : le fichier contient des erreurs."))
        self.problems = problems


class Invalidity(DomainError):
    """A bad line of the file."""

    status = 422


def _role(text: str) -> Optional[str]:
    """A role from its code or its French label."""
    text = text.strip().lower()
    by_label = {labels.role(code).lower(): code for code in ROLES}
    return text if text in ROLES else by_label.get(text)


def _party(conference: Conference, text: str) -> Optional[Party]:
    """A party of the COP by its territory's code (SIREN, INSEE) or its exact name."""
    text = text.strip()
    by_code = db.select(Party).join(Territory).where(Party.conference_id == conference.id, Territory.code == text)
    return db.session.scalar(by_code) or db.session.scalar(db.select(Party).where(
        Party.conference_id == conference.id, db.func.lower(Party.name) == text.lower()))


def _rows(text: str) -> list[tuple[int, dict]]:
    """The data lines with their line numbers; BulkRefused for a bad header or a malformed file."""
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") >= first.count(",") else ",",
                        strict=True)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in COLUMNS[:3] if name not in header]
        if missing:
            raise BulkRefused([f"ligne 1 : colonne(s) manquante(s) : {', '.join(missing)} (attendu : "
                               + ";".join(COLUMNS) + ")"])
        rows = [(reader.line_num, dict(zip(header, cells))) for cells in reader if any(c.strip() for c in cells)]
    except csv.Error as error:
        raise BulkRefused([f"ligne {reader.line_num} : CSV mal formé ({error})"]) from None
    if len(rows) > MAX_LINES:
        raise BulkRefused([f"le fichier dépasse {MAX_LINES} lignes : découpez-le"])
    return rows


def invite_many(actor: User, conference: Conference, data: bytes, encoding: str = "utf-8") -> list[Invited]:
    """Invite every line of the file, or nobody: BulkRefused lists every bad line. The caller commits, then sends."""
    if not can_invite(actor, conference):
        raise Forbidden("Seules la présidence et le secrétariat de la COP envoient des invitations.")
    try:
        text = decode(data, encoding)
    except ImportRefused as refused:
        raise BulkRefused(refused.problems) from None
    rows, problems, done, seen = _rows(text), [], [], set()
    waiting = {token.email for token in pending_invitations(conference)}
    for number, row in rows:
        try:
            done.append(_invite_row(actor, conference, row, seen, waiting))
        except DomainError as error:
            problems.append(f"ligne {number} : {error.message}")
    if problems:
        db.session.rollback()
        raise BulkRefused(problems)
    return done


def _invite_row(actor: User, conference: Conference, row: dict, seen: set, waiting: set) -> Invited:
    """One line: checks of its own, then the same invitation as the form's."""
    name, email = (row.get("nom") or "").strip(), normalize_email(row.get("courriel") or "")
    role, party_text = _role(row.get("role") or ""), (row.get("partie") or "").strip()
    party = _party(conference, party_text) if party_text else None
    if not name or len(name) > 200:
        raise Invalidity("le nom est obligatoire (200 caractères au plus)")
    if role is None:
        raise Invalidity(f"rôle inconnu « {(row.get('role') or '')[:40]} »")
    if party_text and party is None:
        raise Invalidity(f"partie inconnue dans cette COP « {party_text[:60]} »")
    language_text = (row.get("langue") or "").strip().lower()
    if language_text and language_text not in LANGUAGES:
        raise Invalidity(f"langue inconnue « {language_text[:20]} » (fr ou en, vide pour la langue de la COP)")
    language = LANGUAGES.get(language_text)
    if email in seen:
        raise Invalidity(f"{email} figure deux fois dans le fichier")
    if email in waiting:
        raise Invalidity(f"{email} a déjà une invitation en attente : renvoyez-la plutôt")
    seen.add(email)
    return Invited(name, email, invite(actor, conference, email, role, party, language), role, party, language)


def _pending_token(actor: User, conference: Conference, token_id: int) -> AccountToken:
    """A pending invitation of this COP, for someone who may invite."""
    if not can_invite(actor, conference):
        raise Forbidden("Seules la présidence et le secrétariat de la COP gèrent les invitations.")
    token = db.session.get(AccountToken, token_id)
    party = db.session.get(Party, token.party_id) if token and token.party_id else None
    if token is None or token.purpose != "invitation" or token.conference_id != conference.id \
            or token not in pending(conference, party):
        raise NotFound("Cette invitation n’est plus en attente (acceptée, annulée ou expirée).")
    return token


def cancel(actor: User, conference: Conference, token_id: int) -> AccountToken:
    """Cancel a pending invitation: its link expires at once (the row stays, so its id is never reused)."""
    token = _pending_token(actor, conference, token_id)
    token.expires_dt = utcnow() - timedelta(seconds=1)
    record("membership.invitation_cancelled", "party" if token.party_id else "conference",
           token.party_id or conference.id, actor=actor, conference_id=conference.id, data={"role": token.role})
    db.session.flush()
    return token


def resend(actor: User, conference: Conference, token_id: int) -> Invited:
    """Replace a pending invitation by a fresh link (new expiry); the old link stops working."""
    token = cancel(actor, conference, token_id)
    party = db.session.get(Party, token.party_id) if token.party_id else None
    return Invited("", token.email, invite(actor, conference, token.email, token.role, party, token.language),
                   token.role, party, token.language)
