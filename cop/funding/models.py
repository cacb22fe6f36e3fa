"""Funders of a COP, their budgets per programme and year, and their answers to the support requests."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import check_in

if TYPE_CHECKING:
    from cop.commitments.models import SupportRequest
    from cop.conferences.models import Party


class AnswerStatus(StrEnum):
    """A funder's answer to a support request."""

    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    REFUSED = "refused"
    UNDER_INSTRUCTION = "under_instruction"


#: Answers that commit money from a budget.
COMMITTING = (AnswerStatus.GRANTED.value, AnswerStatus.PARTLY_GRANTED.value)


class Funder(db.Model):
    """A party of the COP that answers the support requests addressed to one kind of funder (SupportRequest.funder)."""

    __tablename__ = "funder"
    __table_args__ = (UniqueConstraint("conference_id", "code"), UniqueConstraint("conference_id", "party_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"))
    #: One of cop.commitments.models.FUNDERS: the requests it answers.
    code: Mapped[str] = mapped_column(String(32))
    #: Days after a version's submission within which its requests are answered.
    answer_days: Mapped[int] = mapped_column(default=60)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    party: Mapped["Party"] = relationship()
    budgets: Mapped[list["FunderBudget"]] = relationship(back_populates="funder",
                                                         order_by="(FunderBudget.year, FunderBudget.programme)")


class FunderBudget(db.Model):
    """What a funder can commit under one programme in one year."""

    __tablename__ = "funder_budget"
    __table_args__ = (UniqueConstraint("funder_id", "programme", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    funder_id: Mapped[int] = mapped_column(ForeignKey("funder.id"), index=True)
    programme: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column()
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))

    funder: Mapped[Funder] = relationship(back_populates="budgets")


class SupportAnswer(db.Model):
    """One answer of a funder to a support request; a later answer supersedes it, none is ever changed."""

    __tablename__ = "support_answer"
    __table_args__ = (CheckConstraint(check_in("status", AnswerStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    support_request_id: Mapped[int] = mapped_column(ForeignKey("support_request.id"), index=True)
    funder_id: Mapped[int] = mapped_column(ForeignKey("funder.id"), index=True)
    budget_id: Mapped[Optional[int]] = mapped_column(ForeignKey("funder_budget.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    #: What is granted, in euros (the full request when granted; none when refused or under instruction).
    amount: Mapped[Optional[Decimal]] = mapped_column(Numeric(16, 2))
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date] = mapped_column()
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped["SupportRequest"] = relationship()
    budget: Mapped[Optional[FunderBudget]] = relationship()

    @property
    def commits(self) -> bool:
        """Money is committed (granted, fully or partly)."""
        return self.status in COMMITTING
