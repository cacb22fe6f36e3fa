"""Small helpers shared by the commands and the record."""
from datetime import datetime, timezone
from typing import Optional

from cop.errors import Conflict

STATE_MESSAGES = {
    "scheduled": "La séance n’est pas encore ouverte.",
    "suspended": "La séance est suspendue.",
    "closed": "La séance est close.",
    "open": "La séance est ouverte.",
}


def check_state(meeting, *allowed: str) -> None:
    """Refuse a command when the meeting is not in one of the allowed states."""
    if meeting.state not in allowed:
        raise Conflict(STATE_MESSAGES[meeting.state])


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
