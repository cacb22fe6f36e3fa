"""What waits for the presidency and the secretariat of a COP."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from cop.auth.models import AccountToken
from cop.auth.services import is_aware
from cop.commitments.models import Commitment
from cop.conferences.models import Conference, Party
from cop.db import db, utcnow
from cop.followup.models import ProgressReport
from cop.meetings.models import Meeting

#: Meetings starting within this many days are "to prepare".
MEETING_HORIZON_DAYS = 14
#: Phases in which parties are expected to file.
FILING_PHASES = ("preparation", "call_for_commitments")


@dataclass
class StaffWork:
    """A COP's pending work for its managers."""

    conference: Conference
    reviews: int = 0
    not_filed: list[Party] = field(default_factory=list)
    days_left: Optional[int] = None
    invitations: list[AccountToken] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    reports: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.reviews or self.not_filed or self.invitations or self.meetings or self.reports)


def staff_work(conference: Conference, today: Optional[date] = None) -> StaffWork:
    """Reviews pending, parties not filed as the deadline nears, invitations, meetings, progress reports."""
    today = today or date.today()
    work = StaffWork(conference, reviews=_count(Commitment, Commitment.conference_id == conference.id,
                                                Commitment.status == "submitted"))
    if conference.phase in FILING_PHASES:
        work.not_filed = not_filed(conference)
        if conference.commitments_due_on:
            work.days_left = (conference.commitments_due_on - today).days
    work.invitations = pending_invitations(conference)
    work.meetings = meetings_to_prepare(conference)
    work.reports = _count(ProgressReport, ProgressReport.conference_id == conference.id,
                          ProgressReport.state == "submitted")
    return work


def _count(model, *where) -> int:
    """How many rows match."""
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def not_filed(conference: Conference) -> list[Party]:
    """Parties with no commitment filed (drafts do not count), by name."""
    filed = db.select(Commitment.party_id).where(Commitment.conference_id == conference.id,
                                                 Commitment.status != "draft")
    return list(db.session.scalars(db.select(Party).where(Party.conference_id == conference.id,
                                                          Party.id.not_in(filed)).order_by(Party.name)))


def pending_invitations(conference: Conference) -> list[AccountToken]:
    """Invitations of the COP neither accepted nor expired, oldest first."""
    tokens = db.session.scalars(db.select(AccountToken).filter_by(
        purpose="invitation", conference_id=conference.id, used_dt=None).order_by(AccountToken.created_dt))
    now = utcnow()
    return [token for token in tokens if is_aware(token.expires_dt) >= now]


def meetings_to_prepare(conference: Conference) -> list[Meeting]:
    """Scheduled meetings starting within the horizon (or already due and not opened)."""
    horizon = utcnow() + timedelta(days=MEETING_HORIZON_DAYS)
    return list(db.session.scalars(db.select(Meeting).where(
        Meeting.conference_id == conference.id, Meeting.state == "scheduled",
        Meeting.starts_dt <= horizon).order_by(Meeting.starts_dt)))
