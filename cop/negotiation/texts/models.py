"""The draft text of an agenda item: paragraphs, immutable versions, amendments and their sponsors."""
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.conferences.models import Party
    from cop.meetings.models import AgendaItem

PARAGRAPH_STATUSES = ("bracketed", "agreed_ad_ref", "adopted", "deleted")
AMENDMENT_KINDS = ("replace", "insert_after", "delete")
AMENDMENT_STATES = ("tabled", "taken_up", "integrated", "bracketed", "set_aside", "withdrawn")
#: States in which an amendment is still before the room.
PENDING_STATES = ("tabled", "taken_up")


class Draft(db.Model):
    """The text under negotiation on one agenda item."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Number of the current DraftVersion; bumped by every change of the text.
    version: Mapped[int] = mapped_column(default=0)
    #: Amendments are numbered 1, 2, 3… within the draft.
    last_amendment_number: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    agenda_item: Mapped["AgendaItem"] = relationship()
    paragraphs: Mapped[list["Paragraph"]] = relationship(
        back_populates="draft", order_by="Paragraph.position", cascade="all, delete-orphan")
    versions: Mapped[list["DraftVersion"]] = relationship(
        back_populates="draft", order_by="DraftVersion.number", cascade="all, delete-orphan")

    @property
    def live_paragraphs(self) -> list["Paragraph"]:
        """The paragraphs of the current text (deleted ones are kept for the record only)."""
        return [p for p in self.paragraphs if p.status != "deleted"]


class Paragraph(db.Model):
    """A numbered paragraph with its status; `version` is bumped by every change of its text or status."""

    __tablename__ = "paragraph"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    #: Order in the text; numbers shown to readers are recomputed from it.
    position: Mapped[int] = mapped_column()
    #: Number shown to readers ("§ 3"), renumbered when a paragraph is inserted or deleted.
    number: Mapped[int] = mapped_column()
    #: Markdown; options under negotiation are written "[option A / option B]".
    text: Mapped[str] = mapped_column(Text)
    #: "bracketed", "agreed_ad_ref", "adopted" or "deleted".
    status: Mapped[str] = mapped_column(String(16), default="bracketed")
    version: Mapped[int] = mapped_column(default=1)
    #: Number (within the draft) of the amendment that inserted this paragraph, if any.
    origin_amendment: Mapped[Optional[int]] = mapped_column()

    draft: Mapped[Draft] = relationship(back_populates="paragraphs")

    @property
    def is_adopted(self) -> bool:
        """Adopted: no longer negotiated."""
        return self.status == "adopted"

    @property
    def is_bracketed(self) -> bool:
        """Still under negotiation."""
        return self.status == "bracketed"

    @property
    def is_agreed_ad_ref(self) -> bool:
        """Agreed ad referendum."""
        return self.status == "agreed_ad_ref"


class DraftVersion(db.Model):
    """An immutable snapshot of every paragraph, kept for good and diffable with any other."""

    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    #: e.g. "Projet de texte de la présidence — version du 26/11/2026 14:32".
    label: Mapped[str] = mapped_column(String(200))
    #: What made this version, in words ("Amendement 2 (Métropole de Lyon) intégré au § 3").
    reason: Mapped[str] = mapped_column(Text, default="")
    #: [{"id", "number", "text", "status", "source"}] in reading order.
    paragraphs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: True when no bracket is left in the text.
    is_clean: Mapped[bool] = mapped_column(default=False)
    amendment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("amendment.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    draft: Mapped[Draft] = relationship(back_populates="versions")
    author: Mapped["User"] = relationship()


class Amendment(db.Model):
    """A party's proposal on a paragraph, with where it came from and what became of it."""

    __tablename__ = "amendment"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraph.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: "replace", "insert_after" or "delete".
    kind: Mapped[str] = mapped_column(String(16))
    #: The proposed words (empty for a deletion).
    text: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    #: "tabled", "taken_up", "integrated", "bracketed", "set_aside" or "withdrawn".
    state: Mapped[str] = mapped_column(String(16), default="tabled")
    #: The paragraph version the amendment was written against.
    paragraph_version: Mapped[int] = mapped_column()
    #: The draft version its integration or bracketing produced.
    result_version: Mapped[Optional[int]] = mapped_column()
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    decided_dt: Mapped[Optional[datetime]] = mapped_column()

    paragraph: Mapped[Paragraph] = relationship(foreign_keys=[paragraph_id])
    party: Mapped["Party"] = relationship()
    author: Mapped["User"] = relationship()
    sponsors: Mapped[list["AmendmentSponsor"]] = relationship(
        back_populates="amendment", order_by="AmendmentSponsor.id", cascade="all, delete-orphan")

    @property
    def is_pending(self) -> bool:
        """Tabled or taken up: its fate is not decided yet."""
        return self.state in ("tabled", "taken_up")

    @property
    def is_tabled(self) -> bool:
        """Tabled, not yet taken up."""
        return self.state == "tabled"


class AmendmentSponsor(db.Model):
    """Another party putting its name to an amendment."""

    __tablename__ = "amendment_sponsor"
    __table_args__ = (UniqueConstraint("amendment_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    amendment: Mapped[Amendment] = relationship(back_populates="sponsors")
    party: Mapped["Party"] = relationship()
