"""Decisions of a meeting, and the consensus gavel: its objection window and the objections made in it."""
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.conferences.models import Conference, Party
    from cop.meetings.models import AgendaItem, Meeting

DECISION_MODES = ("consensus", "vote", "taken_note")
WINDOW_STATES = ("open", "adopted", "blocked", "cancelled")
OBJECTION_STATES = ("standing", "withdrawn", "overruled")


class Decision(db.Model):
    """The outcome of an agenda item (or of one paragraph), numbered per conference without gaps."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("conference_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: 1, 2, 3… within the conference: "Décision 3/COP-AURA-2027".
    number: Mapped[int] = mapped_column()
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    #: Set when the decision adopts one paragraph rather than the whole item.
    paragraph_id: Mapped[Optional[int]] = mapped_column(ForeignKey("paragraph.id"))
    #: "consensus" (gavel), "vote" or "taken_note" (the chair takes note).
    mode: Mapped[str] = mapped_column(String(16))
    #: "adopted" or "noted".
    outcome: Mapped[str] = mapped_column(String(16))
    #: The text decided, as it stood (Markdown).
    text: Mapped[str] = mapped_column(Text, default="")
    #: Number of the draft version adopted, when the item carries a draft.
    draft_version: Mapped[Optional[int]] = mapped_column()
    chair_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped["Conference"] = relationship()
    meeting: Mapped["Meeting"] = relationship()
    agenda_item: Mapped["AgendaItem"] = relationship()

    @property
    def reference(self) -> str:
        """The number a secretariat cites, e.g. "Décision 3/COP-AURA-2027"."""
        return f"Décision {self.number}/{self.conference.code}"


class ObjectionWindow(db.Model):
    """The time the chair gives heads of delegation to object before the gavel falls."""

    __tablename__ = "objection_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"))
    paragraph_id: Mapped[Optional[int]] = mapped_column(ForeignKey("paragraph.id"))
    #: Draft version proposed for adoption; a change of the text meanwhile cancels the proposal.
    draft_version: Mapped[Optional[int]] = mapped_column()
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_dt: Mapped[datetime] = mapped_column(default=utcnow)
    #: Objections are accepted strictly before this moment; the gavel falls at or after it.
    ends_dt: Mapped[datetime] = mapped_column(index=True)
    #: "open", then "adopted", "blocked" (a standing objection) or "cancelled".
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    closed_dt: Mapped[Optional[datetime]] = mapped_column()
    decision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    row_version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped["Meeting"] = relationship()
    agenda_item: Mapped["AgendaItem"] = relationship()
    objections: Mapped[list["Objection"]] = relationship(back_populates="window", order_by="Objection.id")

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def is_open(self) -> bool:
        """The objection window runs (or awaits its gavel)."""
        return self.state == "open"

    @property
    def is_adopted(self) -> bool:
        """The gavel fell."""
        return self.state == "adopted"


class Objection(db.Model):
    """A head of delegation's objection, kept in the record whatever becomes of it."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("objection_window.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text)
    #: "standing", "withdrawn" or "overruled".
    state: Mapped[str] = mapped_column(String(16), default="standing")
    #: The chair's ruling when overruled.
    ruling: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_dt: Mapped[Optional[datetime]] = mapped_column()

    window: Mapped[ObjectionWindow] = relationship(back_populates="objections")
    party: Mapped["Party"] = relationship()
    user: Mapped["User"] = relationship()

    @property
    def is_standing(self) -> bool:
        """Neither withdrawn nor overruled."""
        return self.state == "standing"
