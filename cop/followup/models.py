"""Yearly progress reports: what a party achieved against each pledge of the adopted roadmap."""
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import ReportState, check_in, values

if TYPE_CHECKING:
    from cop.auth.models import User
    from cop.commitments.models import Commitment, Pledge
    from cop.conferences.models import Party

#: submitted → accepted, or questioned (the party answers with a new submission of the same report).
STATES = values(ReportState)


class ProgressReport(db.Model):
    """A party's report for one year against one pledge: the value achieved, its evidence, the review."""

    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("commitment_id", "indicator_id", "year"),
                      CheckConstraint(check_in("state", ReportState), name="state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    #: The pledge of the adopted roadmap the report is measured against.
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), index=True)
    year: Mapped[int] = mapped_column()
    #: Value reached at the end of the year, in the indicator's unit.
    achieved_value: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    #: A public http(s) link to the evidence (a deliberation, a report, a dataset).
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    #: One of STATES.
    state: Mapped[str] = mapped_column(String(16), default="submitted")
    #: The presidency's question or remark.
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reported_dt: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    reviewed_dt: Mapped[Optional[datetime]] = mapped_column()
    #: Bumped on every write; a form posted from an older copy is refused.
    row_version: Mapped[int] = mapped_column(default=1)

    party: Mapped["Party"] = relationship()
    commitment: Mapped["Commitment"] = relationship()
    pledge: Mapped["Pledge"] = relationship()
    reported_by: Mapped["User"] = relationship(foreign_keys=[reported_by_id])

    __mapper_args__ = {"version_id_col": row_version}

    @property
    def awaits_review(self) -> bool:
        """Submitted and not yet accepted or questioned."""
        return self.state == "submitted"
