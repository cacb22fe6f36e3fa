"""When meetings may run, and small helpers shared by the commands and the record."""
from datetime import datetime, timezone
from typing import Optional

from cop.errors import Conflict, WrongPhase
from cop.labels import phase as phase_label

#: The conference phases in which each kind of meeting may sit.
MEETING_PHASES = {
    "plenary": ("negotiation", "adoption"),
    "contact_group": ("negotiation", "adoption"),
    "informal": ("preparation", "call_for_commitments", "negotiation", "adoption"),
}
#: The meeting states in which each meeting command may run (the handlers and the pages' `may` read this).
COMMAND_STATES = {
    "meeting.open": ("scheduled",),
    "meeting.suspend": ("open",),
    "meeting.resume": ("suspended",),
    "meeting.close": ("open", "suspended"),
    "item.open": ("open",),
    "item.next": ("open",),
    "floor.request": ("open",),
    "floor.withdraw": ("open", "suspended"),
    "floor.give": ("open",),
    "floor.next": ("open",),
    "floor.remove": ("open", "suspended"),
    "floor.invite_observer": ("open",),
    "timer.start": ("open",),
    "timer.stop": ("open",),
}
STATE_MESSAGES = {
    "scheduled": "La séance n’est pas encore ouverte.",
    "suspended": "La séance est suspendue.",
    "closed": "La séance est close.",
    "open": "La séance est ouverte.",
}


def check_phase(meeting) -> None:
    """Refuse a live command when the conference's phase does not let this kind of meeting sit."""
    phase = meeting.conference.phase
    if phase not in MEETING_PHASES[meeting.kind]:
        raise WrongPhase(f"Cette séance ne peut pas siéger pendant la phase « {phase_label(phase)} ».")


def check_state(meeting, *allowed: str) -> None:
    """Refuse a command when the meeting is not in one of the allowed states."""
    if meeting.state not in allowed:
        raise Conflict(STATE_MESSAGES[meeting.state])


def check_command_state(meeting, name: str) -> None:
    """Refuse a meeting command when the meeting's state does not allow it."""
    check_state(meeting, *COMMAND_STATES[name])


def state_allows(meeting, name: str) -> bool:
    """Whether the meeting's state allows a meeting command (for the pages' `may`)."""
    return meeting.state in COMMAND_STATES[name]


def aware(moment: Optional[datetime]) -> Optional[datetime]:
    """Read a stored datetime as UTC (SQLite returns naive datetimes)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def iso(moment: Optional[datetime]) -> Optional[str]:
    """A datetime as ISO 8601 in UTC, for JSON."""
    moment = aware(moment)
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def elapsed(request, now: datetime) -> float:
    """Seconds a speaker has used, counting the current timer run."""
    running = aware(request.timer_started_dt)
    extra = (now - running).total_seconds() if running else 0.0
    return round(request.spoken_seconds + max(extra, 0.0), 1)
