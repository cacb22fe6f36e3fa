"""The regional roadmap of a COP: numbered versions, framing text per chapter, signatures."""
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from datetime import date

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import ActKind, AmendmentReason, AmendmentState, check_in

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
    #: For a version adopted by amendment: the SHA-256 of the version it amends, part of its own canonical JSON.
    previous_sha256: Mapped[Optional[str]] = mapped_column(String(64))
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
    act: Mapped[Optional["SignatureAct"]] = relationship(back_populates="signature", uselist=False)


class SignatureAct(db.Model):
    """The act that authorises a signature: the council's deliberation or a delegation of signature, with its PDF
    and the PDF's SHA-256 (checked by `cop roadmap verify`); never edited."""

    __tablename__ = "roadmap_signature_act"
    __table_args__ = (CheckConstraint(check_in("kind", ActKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("roadmap_signature.id"), unique=True)
    #: An ActKind.
    kind: Mapped[str] = mapped_column(String(16))
    #: The act's number as the council registers it ("DEL-2027-042").
    number: Mapped[str] = mapped_column(String(60))
    adopted_on: Mapped[date] = mapped_column()
    #: The body that adopted the act ("Conseil communautaire", "Bureau", "Président par délégation").
    body: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_dt: Mapped[datetime] = mapped_column(default=utcnow)

    signature: Mapped[Signature] = relationship(back_populates="act")


class RoadmapAmendment(db.Model):
    """A party's request to lower pledges it signed, decided on a plenary's (or review session's) agenda item; its
    adoption is version N+1 of the roadmap, chained to version N by N's hash."""

    __tablename__ = "roadmap_amendment"
    __table_args__ = (CheckConstraint(check_in("state", AmendmentState), name="state"),
                      CheckConstraint(check_in("reason_kind", AmendmentReason), name="reason_kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"))
    #: The adopted version in force when the request was made (version N) and the commitment version it holds.
    base_version_id: Mapped[int] = mapped_column(ForeignKey("roadmap_version.id"))
    commitment_version_id: Mapped[int] = mapped_column(ForeignKey("commitment_version.id"))
    #: The values asked for: [{"indicator": code, "unconditional": "…", "conditional": "…"}] (decimal strings).
    pledges: Mapped[list] = mapped_column(JSON)
    #: An AmendmentReason, and the party's own words.
    reason_kind: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)
    #: An AmendmentState.
    state: Mapped[str] = mapped_column(String(16), default=AmendmentState.REQUESTED)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    decision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decision.id"))
    #: What the adoption produced: version N+1 and the party's new commitment version.
    result_version_id: Mapped[Optional[int]] = mapped_column(ForeignKey("roadmap_version.id"))
    new_commitment_version_id: Mapped[Optional[int]] = mapped_column(ForeignKey("commitment_version.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_dt: Mapped[datetime] = mapped_column(default=utcnow)
    decided_dt: Mapped[Optional[datetime]] = mapped_column()

    party: Mapped["Party"] = relationship()
    base_version: Mapped[RoadmapVersion] = relationship(foreign_keys=[base_version_id])
    result_version: Mapped[Optional[RoadmapVersion]] = relationship(foreign_keys=[result_version_id])

    @property
    def is_pending(self) -> bool:
        """Still waiting for its meeting's decision."""
        return self.state == AmendmentState.REQUESTED


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
