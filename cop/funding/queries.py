"""What the funders see and the public reads: the requests to answer, the current answers, the budgets' use."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from cop.commitments.models import Commitment, CommitmentVersion, SupportRequest
from cop.commitments.synthesis import basis
from cop.db import db
from cop.funding.models import COMMITTING, Funder, FunderBudget, SupportAnswer


def current_answers(request_ids) -> dict[int, SupportAnswer]:
    """The latest answer of each request named."""
    ids = list(request_ids)
    if not ids:
        return {}
    latest = (select(func.max(SupportAnswer.id)).where(SupportAnswer.support_request_id.in_(ids))
              .group_by(SupportAnswer.support_request_id))
    rows = db.session.scalars(select(SupportAnswer).where(SupportAnswer.id.in_(latest))
                              .options(joinedload(SupportAnswer.budget)))
    return {answer.support_request_id: answer for answer in rows}


def committed(budget_ids) -> dict[int, Decimal]:
    """Per budget, what the current answers commit from it."""
    ids = list(budget_ids)
    if not ids:
        return {}
    latest = select(func.max(SupportAnswer.id)).group_by(SupportAnswer.support_request_id)
    rows = db.session.execute(
        select(SupportAnswer.budget_id, func.sum(SupportAnswer.amount))
        .where(SupportAnswer.id.in_(latest), SupportAnswer.budget_id.in_(ids), SupportAnswer.status.in_(COMMITTING))
        .group_by(SupportAnswer.budget_id))
    return {budget_id: Decimal(str(total or 0)) for budget_id, total in rows}


def funders(conference_id: int) -> list[Funder]:
    """The funders of a COP with their party and budgets."""
    return list(db.session.scalars(
        select(Funder).where(Funder.conference_id == conference_id).order_by(Funder.code)
        .options(joinedload(Funder.party), selectinload(Funder.budgets))))


@dataclass
class Line:
    """A support request of a counted version, with its deadline and its current answer."""

    request: SupportRequest
    due_on: Optional[date]
    answer: Optional[SupportAnswer]

    @property
    def is_overdue(self) -> bool:
        """Past its deadline with no final answer."""
        final = self.answer is not None and self.answer.status != "under_instruction"
        return not final and self.due_on is not None and self.due_on < date.today()


def requests(conference_id: int, code: Optional[str] = None) -> list[Line]:
    """The requests of the COP's counted versions (latest accepted), optionally of one kind of funder."""
    base = basis([conference_id])
    query = (select(SupportRequest).join(base, base.c.version_id == SupportRequest.version_id)
             .options(joinedload(SupportRequest.version).joinedload(CommitmentVersion.commitment)
                      .joinedload(Commitment.party), selectinload(SupportRequest.pledges))
             .order_by(SupportRequest.funder, SupportRequest.id))
    if code:
        query = query.where(SupportRequest.funder == code)
    rows = list(db.session.scalars(query))
    days = dict(db.session.execute(select(Funder.code, Funder.answer_days)
                                   .where(Funder.conference_id == conference_id)).all())
    answers = current_answers(r.id for r in rows)
    out = []
    for item in rows:
        submitted = item.version.submitted_dt
        due = submitted.date() + timedelta(days=days[item.funder]) if submitted and item.funder in days else None
        out.append(Line(item, due, answers.get(item.id)))
    return out


def budget_of(funder: Funder, budget_id: int) -> Optional[FunderBudget]:
    """One of the funder's budgets, or None."""
    return next((b for b in funder.budgets if b.id == budget_id), None)
