"""What the contract pages, the stocktake, the API and the open data read."""
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cop.commitments.models import SupportRequest
from cop.commitments.synthesis import basis
from cop.conferences.models import Conference, Party
from cop.contracts.models import Contract, ContractMilestone, ContractSignature, Disbursement
from cop.db import db
from cop.errors import NotFound
from cop.funding.queries import current_answers
from cop.loaders import MAX_ID
from cop.reference.models import Sector


def contracts(conference_id: int) -> list[Contract]:
    """The COP's contracts, by number, with their signatures."""
    return list(db.session.scalars(
        select(Contract).filter_by(conference_id=conference_id).order_by(Contract.number)
        .options(selectinload(Contract.signatures).selectinload(ContractSignature.act),
                 selectinload(Contract.milestones))))


def get_contract(conference: Conference, number: int) -> Contract:
    """A contract of this very COP by its number, or a French 404."""
    found = db.session.scalar(select(Contract).filter_by(conference_id=conference.id, number=number)) \
        if 0 < number <= MAX_ID else None
    if found is None:
        raise NotFound("Aucun contrat n° %(n)s dans cette COP.", n=number)
    return found


def disbursed_by_milestone(contract_ids) -> dict[int, Decimal]:
    """milestone id → what has been paid against it."""
    ids = list(contract_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ContractMilestone.id, func.coalesce(func.sum(Disbursement.amount), 0))
        .outerjoin(Disbursement, Disbursement.milestone_id == ContractMilestone.id)
        .where(ContractMilestone.contract_id.in_(ids)).group_by(ContractMilestone.id))
    return {mid: Decimal(str(total)) for mid, total in rows}


def disbursements(contract: Contract) -> list[Disbursement]:
    """Every payment recorded against the contract's milestones, oldest first."""
    return list(db.session.scalars(
        select(Disbursement).join(ContractMilestone).where(ContractMilestone.contract_id == contract.id)
        .order_by(Disbursement.paid_on, Disbursement.id).options(selectinload(Disbursement.party),
                                                                 selectinload(Disbursement.milestone))))


def candidates(conference: Conference) -> list[tuple[Party, Sector]]:
    """(territory, filière) pairs whose counted commitment has support granted and no contract yet."""
    base = basis([conference.id])
    rows = db.session.execute(
        select(SupportRequest.id, base.c.party_id, base.c.sector_id)
        .join(base, base.c.version_id == SupportRequest.version_id))
    rows = list(rows)
    answers = current_answers(r[0] for r in rows)
    pairs = {(party_id, sector_id) for request_id, party_id, sector_id in rows
             if request_id in answers and answers[request_id].commits}
    done = {(party_id, sector_id) for party_id, sector_id in db.session.execute(
        select(Contract.party_id, Contract.sector_id).filter_by(conference_id=conference.id))}
    parties = {p.id: p for p in db.session.scalars(select(Party).where(Party.id.in_({p for p, _ in pairs})))}
    sectors = {s.id: s for s in db.session.scalars(select(Sector).where(Sector.id.in_({s for _, s in pairs})))}
    out = [(parties[p], sectors[s]) for p, s in pairs - done if parties[p].kind not in ("region", "state")]
    return sorted(out, key=lambda pair: (pair[0].name, pair[1].position))


@dataclass
class Followed:
    """A contract in the follow-up: what its milestones release and what has been paid so far."""

    contract: Contract
    planned: Decimal
    disbursed: Decimal

    @property
    def share(self) -> Decimal:
        """Disbursed over planned, in percent."""
        return self.disbursed * 100 / self.planned if self.planned else Decimal(0)


def followed(conference_id: int, party_id: Optional[int] = None) -> list[Followed]:
    """The COP's contracts (of one party when given) with their planned and disbursed sums, for the stocktake."""
    items = [c for c in contracts(conference_id) if party_id is None or c.party_id == party_id]
    paid = disbursed_by_milestone(c.id for c in items)
    return [Followed(c, sum((m.amount for m in c.milestones), Decimal(0)),
                     sum((paid.get(m.id, Decimal(0)) for m in c.milestones), Decimal(0))) for c in items]
