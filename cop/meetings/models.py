"""A meeting of a COP, its agenda, its speakers' list and its append-only event journal."""
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import ItemState, MeetingKind, MeetingState, check_in, values

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.conferences.models import Conference, Party
    from cop.reference.models import Sector

KINDS = values(MeetingKind)
STATES = values(MeetingState)
ITEM_STATES = values(ItemState)
FLOOR_KINDS = ("normal", "point_of_order", "observer_invited")
FLOOR_STATES = ("waiting", "speaking", "done", "withdrawn", "removed")

meeting_cofacilitator = Table(
    "meeting_cofacilitator",
    db.metadata,
    Column("meeting_id", ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True),
)


class Meeting(db.Model):
    """A plenary, a contact group on one filière, or an informal consultation."""

    __tablename__ = "meeting"
    __table_args__ = (CheckConstraint(check_in("kind", MeetingKind), name="kind"),
                      CheckConstraint(check_in("state", MeetingState), name="state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: A MeetingKind: "plenary", "contact_group", "informal" or "review" (the yearly review session).
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    #: The filière a contact group works on; None otherwise.
    sector_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sector.id"))
    place: Mapped[str] = mapped_column(String(200), default="")
    starts_dt: Mapped[datetime] = mapped_column()
    chair_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: A public meeting can be watched live by anyone, without an account.
    is_public: Mapped[bool] = mapped_column(default=False)
    #: "scheduled" → "open" ⇄ "suspended" → "closed".
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    #: Seq of the last MeetingEvent; bumped in the same transaction as the event (the per-meeting lock).
    last_seq: Mapped[int] = mapped_column(default=0)
    #: Bumped on every edit of the schedule or the agenda, and by every live command.
    version: Mapped[int] = mapped_column(default=1)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped["Conference"] = relationship()
    sector: Mapped[Optional["Sector"]] = relationship()
    chair: Mapped["User"] = relationship()
    cofacilitators: Mapped[list["User"]] = relationship(secondary=meeting_cofacilitator)
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    @property
    def current_item(self) -> Optional["AgendaItem"]:
        """The agenda item under discussion (at most one is open)."""
        return next((item for item in self.items if item.state == "open"), None)

    @property
    def is_sitting(self) -> bool:
        """Open or suspended: the meeting is under way."""
        return self.state in ("open", "suspended")

    @property
    def is_closed(self) -> bool:
        """The meeting has been closed."""
        return self.state == "closed"


class AgendaItem(db.Model):
    """An item of a meeting's agenda."""

    __tablename__ = "agenda_item"
    __table_args__ = (CheckConstraint(check_in("state", ItemState), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    #: Order on the agenda, from 1.
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: "pending", "open" (under discussion) or "done".
    state: Mapped[str] = mapped_column(String(16), default="pending")

    meeting: Mapped[Meeting] = relationship(back_populates="items")

    @property
    def is_pending(self) -> bool:
        """Not discussed yet."""
        return self.state == "pending"


class FloorRequest(db.Model):
    """A request for the floor on the speakers' list."""

    __tablename__ = "floor_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    #: The agenda item open when the request was made.
    item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agenda_item.id"))
    #: The delegation speaking; None for an invited observer.
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("party.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: "normal", "point_of_order" (goes to the top) or "observer_invited".
    kind: Mapped[str] = mapped_column(String(24), default="normal")
    #: "waiting", "speaking", "done", "withdrawn" or "removed".
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    requested_dt: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the floor was given.
    started_dt: Mapped[Optional[datetime]] = mapped_column()
    ended_dt: Mapped[Optional[datetime]] = mapped_column()
    #: Seconds spoken while the timer ran, not counting the current run.
    spoken_seconds: Mapped[float] = mapped_column(default=0.0)
    #: Start of the current timer run; None while the timer is stopped.
    timer_started_dt: Mapped[Optional[datetime]] = mapped_column()

    party: Mapped[Optional["Party"]] = relationship()
    user: Mapped["User"] = relationship()


class MeetingEvent(db.Model):
    """One entry of a meeting's append-only journal, numbered without gaps."""

    __tablename__ = "meeting_event"
    __table_args__ = (
        UniqueConstraint("meeting_id", "seq"),
        UniqueConstraint("meeting_id", "actor_id", "command_id"),
        # The pace check counts an account's events of the last minute in a meeting, under the meeting's lock, for
        # every command: without it, a scan of the whole journal (3 ms at 20,000 events, growing with it).
        Index("ix_meeting_event_pace", "meeting_id", "actor_id", "created_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    #: 1, 2, 3… within the meeting, without gaps.
    seq: Mapped[int] = mapped_column()
    #: Dotted event name, e.g. "floor.given".
    name: Mapped[str] = mapped_column(String(48))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    actor_party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("party.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The client's command id, so that a resent command is applied once.
    command_id: Mapped[Optional[str]] = mapped_column(String(64))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[Optional["User"]] = relationship()
    actor_party: Mapped[Optional["Party"]] = relationship()
