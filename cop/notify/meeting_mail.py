"""Convening a meeting: one message per member of the COP, in their language, with an iCalendar invitation."""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from cop.auth.models import User
from cop.conferences.models import Membership
from cop.db import db, utcnow
from cop.notify.compose import notify_each
from cop.notify.links import link
from cop.notify.preferences import MailKind

#: Meetings have no end time: the calendar blocks this long.
DEFAULT_LENGTH = timedelta(hours=3)


def _ics_text(text: str) -> str:
    """Escape a value for an iCalendar property (RFC 5545, 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics(meeting, url: str) -> str:
    """A one-event calendar (METHOD:REQUEST) with a stable UID, so that a new version replaces the old one."""
    stamp = "%Y%m%dT%H%M%SZ"
    start = meeting.starts_dt
    host = current_app.config["COP_BASE_URL"].split("//", 1)[-1].split("/", 1)[0]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//COP//Seances//FR", "METHOD:REQUEST", "BEGIN:VEVENT",
             f"UID:meeting-{meeting.id}@{host}", f"DTSTAMP:{utcnow().strftime(stamp)}",
             f"DTSTART:{start.strftime(stamp)}", f"DTEND:{(start + DEFAULT_LENGTH).strftime(stamp)}",
             f"SUMMARY:{_ics_text(meeting.title)}", f"LOCATION:{_ics_text(meeting.place or '')}", f"URL:{url}",
             "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def members(conference) -> list[User]:
    """Every active member of the COP, once."""
    return list(db.session.scalars(db.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.conference_id == conference.id, User.is_disabled.is_(False)).distinct().order_by(User.id)))


def convened(meeting) -> None:
    """Queue the convocation of a newly scheduled meeting (in the caller's transaction)."""
    url = link("meetings.show", meeting_id=meeting.id)
    calendar = ics(meeting, url)
    notify_each(members(meeting.conference), MailKind.MEETING_CONVENED,
                lambda user: f"meeting.convened:{meeting.id}:{user.id}",
                lambda: _("Convocation : %(title)s", title=meeting.title), "mail/meeting_convened.txt",
                calendar=calendar, meeting=meeting, url=url)
