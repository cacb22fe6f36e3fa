"""The indicative fair shares of a COP: the method in force, versioned, and the figures it was built from."""
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import check_in

if TYPE_CHECKING:
    from cop.territories.models import Territory


class ShareMethod(StrEnum):
    """How the regional targets are shared among the intercommunalities."""

    POPULATION = "population"
    FIGURES = "figures"


class FairShareBasis(db.Model):
    """One version of the sharing method of a COP; the latest is in force (none: by population)."""

    __tablename__ = "fair_share_basis"
    __table_args__ = (UniqueConstraint("conference_id", "number"),
                      CheckConstraint(check_in("method", ShareMethod), name="method"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: 1, 2, 3… per COP; a change is a new row, never an update.
    number: Mapped[int] = mapped_column()
    method: Mapped[str] = mapped_column(String(16))
    #: Why the presidency chose this basis (published with it).
    note: Mapped[str] = mapped_column(Text, default="")
    #: The imported file's name and SHA-256, so anyone can match the published data with its source.
    source_name: Mapped[str] = mapped_column(String(200), default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    author_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list["FairShareCriterion"]] = relationship(
        back_populates="basis", order_by="FairShareCriterion.position", cascade="all, delete-orphan")

    @property
    def by_figures(self) -> bool:
        """Built from imported figures rather than population."""
        return self.method == ShareMethod.FIGURES


class FairShareCriterion(db.Model):
    """One column of the imported figures (industrial jobs, available land…) and its weight."""

    __tablename__ = "fair_share_criterion"
    __table_args__ = (UniqueConstraint("basis_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    basis_id: Mapped[int] = mapped_column(ForeignKey("fair_share_basis.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(64))
    weight: Mapped[Decimal] = mapped_column(Numeric(9, 2))

    basis: Mapped[FairShareBasis] = relationship(back_populates="criteria")
    figures: Mapped[list["FairShareFigure"]] = relationship(back_populates="criterion", cascade="all, delete-orphan")


class FairShareFigure(db.Model):
    """The figure of one intercommunality for one criterion."""

    __tablename__ = "fair_share_figure"
    __table_args__ = (UniqueConstraint("criterion_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("fair_share_criterion.id", ondelete="CASCADE"), index=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2))

    criterion: Mapped[FairShareCriterion] = relationship(back_populates="figures")
    territory: Mapped["Territory"] = relationship()
