"""Moving a COP from phase to phase: forward one step, or back one step with a recorded reason."""
from typing import Optional

from cop import labels
from cop.auth.models import User
from cop.conferences.models import PHASES, Conference, PhaseChange
from cop.conferences.rules import FieldsInvalid
from cop.audit.services import record
from cop.conferences.services import check_version, record_revision
from cop.db import db
from cop.errors import Invalid
from cop.conferences.pending import Pending, pending
from cop.rulebook import allowed, require
from cop.rulebook.phases import step_allows

MIN_REASON_LENGTH = 10


def next_phase(conference: Conference) -> Optional[str]:
    """The phase after the current one, or None once closed."""
    index = PHASES.index(conference.phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def previous_phase(conference: Conference) -> Optional[str]:
    """The phase before the current one, or None in preparation."""
    index = PHASES.index(conference.phase)
    return PHASES[index - 1] if index > 0 else None


def _check_step(conference: Conference, to_phase: str, reason: str) -> None:
    """Allow one step forward, or one step back with a reason; refuse anything else."""
    if to_phase not in PHASES:
        raise Invalid("Phase inconnue.")
    require(step_allows(conference.phase, to_phase))
    if to_phase == previous_phase(conference) and len(reason) < MIN_REASON_LENGTH:
        raise FieldsInvalid(
            "Revenir à la phase « %(phase)s » demande une raison, écrite en toutes lettres "
            "(%(n)s caractères au moins).",
            ("reason",), phase=labels.phase(to_phase), n=MIN_REASON_LENGTH)


class Unconfirmed(FieldsInvalid):
    """A phase move asked without its explicit confirmation; `pending` is what the move would leave behind."""

    def __init__(self, message: str, left: list[Pending], **params):
        super().__init__(message, ("confirm",), **params)
        self.pending = left


def move_phase(user: User, conference: Conference, to_phase: str, reason: str = "",
               version: Optional[int] = None, confirmed: bool = False) -> PhaseChange:
    """Move the COP to an adjacent phase, once confirmed in view of what is pending; record who, why and what."""
    allowed("conference.move_phase", user, conference)
    check_version(conference, version)
    reason = (reason or "").strip()
    _check_step(conference, to_phase, reason)
    left = pending(conference, to_phase)
    if not confirmed:
        words = " ".join(p.text for p in left) or "Rien n'est en suspens."
        raise Unconfirmed(
            "Confirmez le passage en phase « %(phase)s » : %(words)s",
            left, phase=labels.phase(to_phase), words=words)
    change = PhaseChange(conference_id=conference.id, from_phase=conference.phase, to_phase=to_phase,
                         reason=reason, user_id=user.id)
    conference.phase = to_phase
    record_revision(user, conference, ["phase"])
    db.session.add(change)
    db.session.flush()
    record("conference.phase_moved", "conference", conference.id, actor=user, conference_id=conference.id,
           data={"from": change.from_phase, "to": to_phase, "reason": reason, "confirmed": True,
                 "pending": {p.code: p.count for p in left}})
    return change


def history(conference: Conference) -> list[PhaseChange]:
    """Every phase move of a COP, oldest first."""
    return list(db.session.scalars(
        db.select(PhaseChange).filter_by(conference_id=conference.id).order_by(PhaseChange.created_dt,
                                                                                PhaseChange.id)
    ))
