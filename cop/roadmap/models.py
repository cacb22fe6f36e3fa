"""The regional roadmap of a COP: numbered versions, framing text per chapter, signatures."""
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.conferences.models import Conference, Party

#: draft → submitted (on a plenary's agenda) → adopted (frozen) → superseded (a later version was adopted).
STATES = ("draft", "submitted", "adopted", "superseded")
#: States whose content can no longer change.
FROZEN_STATES = ("adopted", "superseded")


class Roadmap(db.Model):
    """The roadmap of one conference; its content lives in numbered versions."""

    __tablename__ = "roadmap"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), unique=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped["Conference"] = relationship()
    versions: Mapped[list["RoadmapVersion"]] = relationship(
        back_populates="roadmap", order_by="RoadmapVersion.number"
    )


class RoadmapVersion(db.Model):
    """One consolidation of the roadmap; frozen (canonical JSON + SHA-256) once adopted."""

    __tablename__ = "roadmap_version"
    __table_args__ = (UniqueConstraint("roadmap_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("roadmap.id"), index=True)
    #: 1, 2, 3… in order of generation.
    number: Mapped[int] = mapped_column()
    #: One of STATES.
    state: Mapped[str] = mapped_column(String(16), default="draft")
    generated_dt: Mapped[datetime] = mapped_column(default=utcnow)
    generated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    #: The consolidation: plain JSON (integers and decimal strings only, see cop.canonical).
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The closing plenary's agenda item the version was submitted to.
    agenda_item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    submitted_dt: Mapped[Optional[datetime]] = mapped_column()
    #: The decision that adopted the version, and its reference as published ("Décision 3/COP-AURA-2027").
    decision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    decision_reference: Mapped[str] = mapped_column(String(120), default="")
    adopted_dt: Mapped[Optional[datetime]] = mapped_column()
    #: The exact bytes anyone can download and hash; set once, at adoption.
    canonical_json: Mapped[Optional[str]] = mapped_column(Text)
    sha256: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    superseded_dt: Mapped[Optional[datetime]] = mapped_column()
    #: Bumped on every write; an edit made from an older copy is refused.
    lock_version: Mapped[int] = mapped_column(default=1)

    roadmap: Mapped[Roadmap] = relationship(back_populates="versions")
    framings: Mapped[list["ChapterFraming"]] = relationship(back_populates="version", cascade="all, delete-orphan")
    signatures: Mapped[list["Signature"]] = relationship(back_populates="version", order_by="Signature.signed_dt")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_draft(self) -> bool:
        """A draft may still be framed and submitted."""
        return self.state == "draft"

    @property
    def is_frozen(self) -> bool:
        """An adopted (or later superseded) version never changes."""
        return self.state in FROZEN_STATES

    @property
    def is_superseded(self) -> bool:
        """Replaced by a later adopted version."""
        return self.state == "superseded"


class ChapterFraming(db.Model):
    """The secretariat's framing text (Markdown) for one chapter (filière) of a version."""

    __tablename__ = "chapter_framing"
    __table_args__ = (UniqueConstraint("version_id", "sector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("roadmap_version.id", ondelete="CASCADE"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[RoadmapVersion] = relationship(back_populates="framings")


class RoadmapCommitment(db.Model):
    """A commitment version consolidated into a roadmap version (what a signature binds)."""

    __tablename__ = "roadmap_commitment"
    __table_args__ = (UniqueConstraint("version_id", "commitment_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("roadmap_version.id", ondelete="CASCADE"), index=True)
    commitment_version_id: Mapped[int] = mapped_column(ForeignKey("commitment_version.id"), index=True)
    #: Copied so that "what did this party sign" is one join.
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)


class Signature(db.Model):
    """A head of delegation signing an adopted version's hash for the party; never edited."""

    __tablename__ = "roadmap_signature"
    __table_args__ = (UniqueConstraint("version_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("roadmap_version.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: The SHA-256 the signatory saw and signed.
    sha256: Mapped[str] = mapped_column(String(64))
    signed_dt: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[RoadmapVersion] = relationship(back_populates="signatures")
    party: Mapped["Party"] = relationship()
    user: Mapped["User"] = relationship()


class RoadmapDocument(db.Model):
    """An adopted version's PDF, rendered once after adoption, never changed, served once its hash is checked."""

    __tablename__ = "roadmap_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("roadmap_version.id"), unique=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column()
    #: SHA-256 of the PDF bytes (not of the canonical JSON): what a download is checked against.
    sha256: Mapped[str] = mapped_column(String(64))
    rendered_dt: Mapped[datetime] = mapped_column(default=utcnow)
