"""The conditional ambition the funders' answers unlock, against the regional targets.

For each counted pledge (latest accepted versions, as in the synthesis), the share of its support requests'
amount that is granted (fully or partly, capped at 1) turns the same share of its conditional part firm:
unlocked = conditional part × min(1, granted ÷ requested). Firm = unconditional + unlocked.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from sqlalchemy import select

from cop.commitments.models import Pledge, SupportRequest, support_request_pledge
from cop.commitments.synthesis import CENT, Row, basis
from cop.db import db
from cop.funding.queries import current_answers


@dataclass
class Unlocked:
    """One filière × indicator line: the synthesis's row and what the answers turned firm."""

    row: Row
    unlocked: Decimal

    @property
    def firm(self) -> Decimal:
        """Unconditional pledges plus the unlocked conditional parts."""
        return self.row.unconditional + self.unlocked

    @property
    def gap_firm(self) -> Optional[Decimal]:
        """Target minus the firm pledges."""
        return None if self.row.target is None else self.row.target - self.firm


def by_cell(conference_id: int) -> dict[tuple[int, int], Decimal]:
    """(filière, indicator) → conditional parts turned firm by the current answers."""
    base = basis([conference_id])
    rows = db.session.execute(
        select(Pledge.id, base.c.sector_id, Pledge.indicator_id, Pledge.conditional_value, SupportRequest.id,
               SupportRequest.amount)
        .join(base, base.c.version_id == Pledge.version_id)
        .join(support_request_pledge, support_request_pledge.c.pledge_id == Pledge.id)
        .join(SupportRequest, SupportRequest.id == support_request_pledge.c.support_request_id)).all()
    answers = current_answers({row[4] for row in rows})
    pledges: dict[int, list] = {}
    for pledge_id, sector_id, indicator_id, conditional, request_id, requested in rows:
        answer = answers.get(request_id)
        granted = answer.amount if answer is not None and answer.commits else Decimal(0)
        entry = pledges.setdefault(pledge_id, [(sector_id, indicator_id), conditional, Decimal(0), Decimal(0)])
        entry[2] += requested
        entry[3] += granted
    out: dict[tuple[int, int], Decimal] = {}
    for cell, conditional, requested, granted in pledges.values():
        share = min(Decimal(1), granted / requested) if requested else Decimal(0)
        out[cell] = out.get(cell, Decimal(0)) + (conditional * share)
    return {cell: value.quantize(CENT) for cell, value in out.items()}


def compute(conference_id: int, rows: list[Row]) -> list[Unlocked]:
    """The synthesis's rows with what the answers unlock."""
    cells = by_cell(conference_id)
    return [Unlocked(row, cells.get((row.sector.id, row.indicator.id), Decimal(0))) for row in rows]
