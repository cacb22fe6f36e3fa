"""A party's priority filières and its commitments: numbered versions, pledges, support requests, sites."""
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import CommitmentStatus, check_in, values
from cop.rulebook.states import BASELINE
from cop.seals.models import VaultMixin

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.conferences.models import Party
    from cop.projects.models import Project
    from cop.reference.models import Indicator, Sector
    from cop.territories.models import Commune

STATUSES = values(CommitmentStatus)
#: Versions a later version is compared with by the progression check (a returned one was sent back).
BASELINE_STATUSES = values(BASELINE)
FUNDERS = ("state", "region", "bpifrance", "banque_des_territoires", "eu", "other")
SITE_KINDS = ("brownfield", "ready_land")
SITE_STATUSES = ("identified", "in_progress", "available", "occupied")

commitment_partner = Table(
    "commitment_partner",
    db.metadata,
    Column("version_id", ForeignKey("commitment_version.id", ondelete="CASCADE"), primary_key=True),
    Column("party_id", ForeignKey("party.id"), primary_key=True),
)
support_request_pledge = Table(
    "support_request_pledge",
    db.metadata,
    Column("support_request_id", ForeignKey("support_request.id", ondelete="CASCADE"), primary_key=True),
    Column("pledge_id", ForeignKey("pledge.id", ondelete="CASCADE"), primary_key=True),
)


class PartyPrioritySector(db.Model):
    """A filière a party chooses to specialise in, and why (the territory's resources)."""

    __tablename__ = "party_priority_sector"
    __table_args__ = (UniqueConstraint("party_id", "sector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"))
    #: One or two sentences on the resources that justify the choice.
    reason: Mapped[str] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    sector: Mapped["Sector"] = relationship()


class Commitment(VaultMixin, db.Model):
    """A party's contribution for one filière; its content lives in numbered versions. Sealed, the free texts and
    the places of its filed versions wait in its vault (cop/commitments/sealing.py); its figures stay public."""

    __tablename__ = "commitment"
    __table_args__ = (UniqueConstraint("party_id", "sector_id"),
                      CheckConstraint(check_in("status", CommitmentStatus), name="status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Copied from the party so that lists and the synthesis filter without a join.
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    #: State of the latest version that left the draft stage ("draft" while none has).
    status: Mapped[str] = mapped_column(String(16), default="draft")
    #: Bumped on every save of the draft; a save from an older copy is refused.
    version: Mapped[int] = mapped_column(default=1)
    #: Why the party withdrew the commitment (withdrawal is recorded, never deleted).
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)

    party: Mapped["Party"] = relationship()
    sector: Mapped["Sector"] = relationship()
    versions: Mapped[list["CommitmentVersion"]] = relationship(
        back_populates="commitment", order_by="CommitmentVersion.number"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_withdrawn(self) -> bool:
        """Withdrawn by its party."""
        return self.status == "withdrawn"

    @property
    def is_draft(self) -> bool:
        """Never filed."""
        return self.status == "draft"


class CommitmentVersion(db.Model):
    """One numbered version of a commitment; immutable once submitted."""

    __tablename__ = "commitment_version"
    __table_args__ = (
        UniqueConstraint("commitment_id", "number"),
        CheckConstraint(check_in("status", CommitmentStatus), name="status"),
        # With the id: a commitment's latest accepted version (the synthesis's basis) is read from the index alone.
        Index("ix_commitment_version_latest", "commitment_id", "status", "number", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    #: 1, 2, 3… in order of creation; the draft already holds the number it will be submitted with.
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="draft")
    #: The frame of the pledges: reference year and target year.
    reference_year: Mapped[int] = mapped_column()
    target_year: Mapped[int] = mapped_column()
    #: Clarity, transparency and understanding (Markdown).
    scope: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    assumptions_method: Mapped[str] = mapped_column(Text, default="")
    local_preparation: Mapped[str] = mapped_column(Text, default="")
    fairness_ambition: Mapped[str] = mapped_column(Text, default="")
    regional_contribution: Mapped[str] = mapped_column(Text, default="")
    #: Why a pledge is lower than in the previous submitted version; required for a step back.
    justification: Mapped[str] = mapped_column(Text, default="")
    #: Set at submission: a pledge is lower than in the previous submitted version.
    is_step_back: Mapped[bool] = mapped_column(default=False)
    #: The presidency's comment when it returns (or accepts) the version.
    review_comment: Mapped[str] = mapped_column(Text, default="")
    #: The draft form as last typed (JSON list of name/value pairs) while it was not yet a valid draft.
    form_state: Mapped[Optional[str]] = mapped_column(Text)
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_dt: Mapped[Optional[datetime]] = mapped_column()
    reviewed_dt: Mapped[Optional[datetime]] = mapped_column()

    commitment: Mapped[Commitment] = relationship(back_populates="versions")
    author: Mapped[Optional["User"]] = relationship(foreign_keys=[author_id])
    submitted_by: Mapped[Optional["User"]] = relationship(foreign_keys=[submitted_by_id])
    pledges: Mapped[list["Pledge"]] = relationship(
        back_populates="version", order_by="Pledge.position", cascade="all, delete-orphan"
    )
    support_requests: Mapped[list["SupportRequest"]] = relationship(
        back_populates="version", order_by="SupportRequest.position", cascade="all, delete-orphan"
    )
    sites: Mapped[list["Site"]] = relationship(
        back_populates="version", order_by="Site.position", cascade="all, delete-orphan"
    )
    partners: Mapped[list["Party"]] = relationship(secondary=commitment_partner, order_by="Party.name")

    @property
    def is_public(self) -> bool:
        """Everything but a draft is published."""
        return self.status != "draft"

    @property
    def is_draft(self) -> bool:
        """Not submitted yet."""
        return self.status == "draft"

    @property
    def awaits_review(self) -> bool:
        """Submitted and not yet reviewed."""
        return self.status == "submitted"


class Pledge(db.Model):
    """One quantified line of a version: an indicator, from a reference value to a target value."""

    __tablename__ = "pledge"
    __table_args__ = (UniqueConstraint("version_id", "indicator_id"),
                      # What the synthesis's sums read of a counted version's lines, from the index alone.
                      Index("ix_pledge_version_sums", "version_id", "indicator_id", "unconditional_value",
                            "conditional_value", "project_share"))

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("commitment_version.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    reference_year: Mapped[int] = mapped_column()
    reference_value: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0)
    target_year: Mapped[int] = mapped_column()
    #: What the party commits to on its own.
    unconditional_value: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    #: What it adds if its support requests are met (an addition, not a total).
    conditional_value: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0)
    #: The project of the registry the line is about; its values are then the project's whole figures.
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id"), index=True)
    #: The party's declared share of the project, in percent: what the totals attribute to it (100 without one).
    project_share: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=100, server_default="100")

    version: Mapped[CommitmentVersion] = relationship(back_populates="pledges")
    indicator: Mapped["Indicator"] = relationship()
    project: Mapped[Optional["Project"]] = relationship()
    support_requests: Mapped[list["SupportRequest"]] = relationship(
        secondary=support_request_pledge, back_populates="pledges"
    )


class FilingSum(db.Model):
    """What a COP's counted lines add up to, per filière and indicator: the synthesis's sums, kept with the data.

    Recomputed (`cop.commitments.filing_sums`) in the transaction of every write that changes what a filière of a
    COP counts, from the same basis as before (each commitment not withdrawn, its latest accepted version); read by
    the synthesis instead of summing 2,500 lines of the national data set for each page built cold."""

    __tablename__ = "filing_sum"

    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"), primary_key=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)
    #: Σ unconditional value × project share (percent): the division by 100 is left to the reader, exact.
    unconditional_share: Mapped[Decimal] = mapped_column(Numeric(26, 4))
    #: Σ conditional value × project share (percent).
    conditional_share: Mapped[Decimal] = mapped_column(Numeric(26, 4))
    #: The counted lines: one per party (a party has one commitment per filière, its version one line per indicator).
    lines: Mapped[int] = mapped_column()
    #: Σ unconditional value, each project counted whole (what sharing the projects avoided counting twice).
    unconditional_whole: Mapped[Decimal] = mapped_column(Numeric(24, 2))


class SupportRequest(db.Model):
    """What the conditional part depends on: a funder, an amount in euros and a purpose."""

    __tablename__ = "support_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("commitment_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: One of FUNDERS.
    funder: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    purpose: Mapped[str] = mapped_column(Text)

    version: Mapped[CommitmentVersion] = relationship(back_populates="support_requests")
    pledges: Mapped[list[Pledge]] = relationship(secondary=support_request_pledge, back_populates="support_requests")


class Site(db.Model):
    """A brownfield or ready-to-use industrial site a version relies on."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("commitment_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    hectares: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    #: "brownfield" or "ready_land".
    kind: Mapped[str] = mapped_column(String(16))
    #: One of SITE_STATUSES.
    status: Mapped[str] = mapped_column(String(16), default="identified")

    version: Mapped[CommitmentVersion] = relationship(back_populates="sites")
    commune: Mapped["Commune"] = relationship()


class ReviewComment(db.Model):
    """One message of the thread between a party and the presidency about a filed version."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("commitment_version.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: Markdown, shown sanitised.
    body: Mapped[str] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped["User"] = relationship()
