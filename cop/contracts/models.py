"""Contracts: the matched requests of one territory in one filière — its pledges, the support granted, the
milestones — frozen as canonical JSON with its SHA-256, signed by the territory, the Region and the State, and
followed by the funds disbursed against its milestones."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import ActKind, check_in

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.conferences.models import Conference, Party
    from cop.reference.models import Sector


class ContractState(StrEnum):
    """A contract is generated (frozen, its hash published), then signed once its three parties signed."""

    GENERATED = "generated"
    SIGNED = "signed"


class SignatoryRole(StrEnum):
    """Who signs a contract: the territory, the Region and the State's representative."""

    TERRITORY = "territory"
    REGION = "region"
    STATE = "state"


class Contract(db.Model):
    """One territory's contract for one filière; frozen when generated, never changed afterwards."""

    __tablename__ = "contract"
    __table_args__ = (UniqueConstraint("conference_id", "number"),
                      UniqueConstraint("conference_id", "party_id", "sector_id"),
                      CheckConstraint(check_in("state", ContractState), name="state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: Its number in the COP (1, 2, …), shown as « Contrat n° 1 ».
    number: Mapped[int] = mapped_column()
    #: The territory party whose pledges it carries.
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"))
    #: The commitment version (accepted, counted) its pledges come from.
    commitment_version_id: Mapped[int] = mapped_column(ForeignKey("commitment_version.id"))
    #: A ContractState.
    state: Mapped[str] = mapped_column(String(16), default=ContractState.GENERATED)
    #: What is published and hashed (see cop/contracts/document.py), its canonical JSON and SHA-256.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    canonical_json: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    generated_dt: Mapped[datetime] = mapped_column(default=utcnow)
    generated_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    conference: Mapped["Conference"] = relationship()
    party: Mapped["Party"] = relationship()
    sector: Mapped["Sector"] = relationship()
    milestones: Mapped[list["ContractMilestone"]] = relationship(back_populates="contract",
                                                                 order_by="ContractMilestone.position")
    signatures: Mapped[list["ContractSignature"]] = relationship(back_populates="contract",
                                                                 order_by="ContractSignature.signed_dt")

    @property
    def is_signed(self) -> bool:
        """Its three parties signed."""
        return self.state == ContractState.SIGNED


class ContractMilestone(db.Model):
    """A step of the contract: what is due by when, and how much of the support it releases."""

    __tablename__ = "contract_milestone"
    __table_args__ = (UniqueConstraint("contract_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    position: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column()
    #: The support it releases, in euros.
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))

    contract: Mapped[Contract] = relationship(back_populates="milestones")
    disbursements: Mapped[list["Disbursement"]] = relationship(back_populates="milestone",
                                                               order_by="Disbursement.paid_on")


class ContractSignature(db.Model):
    """One party's signature of a contract's hash; never updated."""

    __tablename__ = "contract_signature"
    __table_args__ = (UniqueConstraint("contract_id", "party_id"),
                      CheckConstraint(check_in("role", SignatoryRole), name="role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    #: A SignatoryRole: for whom the party signs.
    role: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: The hash the signatory read and signed.
    sha256: Mapped[str] = mapped_column(String(64))
    signed_dt: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="signatures")
    party: Mapped["Party"] = relationship()
    user: Mapped["User"] = relationship()
    act: Mapped[Optional["ContractSignatureAct"]] = relationship(back_populates="signature", uselist=False)


class ContractSignatureAct(db.Model):
    """The deliberation or delegation behind a contract signature: its PDF, checked, with its SHA-256."""

    __tablename__ = "contract_signature_act"
    __table_args__ = (CheckConstraint(check_in("kind", ActKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("contract_signature.id"), unique=True)
    #: An ActKind.
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(60))
    adopted_on: Mapped[date] = mapped_column()
    body: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_dt: Mapped[datetime] = mapped_column(default=utcnow)

    signature: Mapped[ContractSignature] = relationship(back_populates="act")


class Disbursement(db.Model):
    """Funds paid against a milestone, entered in the follow-up by the funder or the territory; never updated."""

    __tablename__ = "contract_disbursement"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("contract_milestone.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    paid_on: Mapped[date] = mapped_column()
    #: The party that recorded it (the funder or the territory) and who did.
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_dt: Mapped[datetime] = mapped_column(default=utcnow)

    milestone: Mapped[ContractMilestone] = relationship(back_populates="disbursements")
    party: Mapped["Party"] = relationship()
