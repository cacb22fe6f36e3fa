"""Funders registered by the managers; budgets and answers written by the funder's own delegation, audited."""
from datetime import date
from decimal import Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cop.audit.services import record
from cop.commitments.models import FUNDERS, SupportRequest
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.errors import Conflict, Invalid, NotFound
from cop.funding import queries
from cop.funding.models import AnswerStatus, Funder, FunderBudget, SupportAnswer
from cop.rulebook import allowed

MAX_AMOUNT = Decimal("1e13")


def register_funder(user, conference: Conference, party: Party, code: str, answer_days: int = 60) -> Funder:
    """Name the party that answers the requests addressed to one kind of funder."""
    allowed("funder.register", user, conference)
    if party.conference_id != conference.id:
        raise NotFound("Cette partie n'existe pas dans cette COP.")
    if code not in FUNDERS:
        raise Invalid("Financeur inconnu : %(code)s.", code=code[:40])
    if not 1 <= answer_days <= 365:
        raise Invalid("Le délai de réponse est compris entre 1 et 365 jours.")
    funder = Funder(conference_id=conference.id, party_id=party.id, code=code, answer_days=answer_days)
    db.session.add(funder)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("Ce financeur, ou cette partie, répond déjà aux demandes d’appui de cette COP.") from None
    record("funder.registered", "funder", funder.id, actor=user, conference_id=conference.id,
           data={"party_id": party.id, "code": code, "answer_days": answer_days})
    return funder


def set_budget(user, funder: Funder, programme: str, year: int, amount: Decimal) -> FunderBudget:
    """Create or change a budget; it cannot fall below what the answers already commit from it."""
    allowed("budget.set", user, funder.party)
    programme = (programme or "").strip()
    if not programme or len(programme) > 120:
        raise Invalid("Nommez le programme (120 caractères au plus).")
    if not 2000 <= year <= 2100:
        raise Invalid("L’année d’un budget est comprise entre 2000 et 2100.")
    if not Decimal(0) <= amount < MAX_AMOUNT:
        raise Invalid("Le montant d’un budget est un nombre positif d’euros.")
    budget = next((b for b in funder.budgets if b.programme == programme and b.year == year), None)
    if budget is not None and amount < queries.committed([budget.id]).get(budget.id, Decimal(0)):
        raise Conflict("Ce budget engage déjà plus que %(amount)s € : il ne peut pas descendre en dessous.",
                       amount=amount)
    if budget is None:
        budget = FunderBudget(funder=funder, programme=programme, year=year, amount=amount)
        db.session.add(budget)
    else:
        budget.amount = amount
    db.session.flush()
    record("budget.set", "funder", funder.id, actor=user, conference_id=funder.conference_id,
           data={"programme": programme, "year": year, "amount": str(amount)})
    return budget


def _lock(budget: FunderBudget) -> None:
    """Serialise the answers charged to one budget (the row on PostgreSQL; SQLite writes one at a time)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(FunderBudget.id).where(FunderBudget.id == budget.id).with_for_update())


def answer(user, funder: Funder, request: SupportRequest, status: str, *, amount: Optional[Decimal] = None,
           reason: str = "", budget_id: Optional[int] = None, answered_on: Optional[date] = None) -> SupportAnswer:
    """Answer a request addressed to this funder; what it grants must fit in the chosen budget."""
    allowed("support.answer", user, funder.party)
    if request.funder != funder.code or request.id not in {line.request.id for line in
                                                            queries.requests(funder.conference_id, funder.code)}:
        raise NotFound("Cette demande d’appui n’est pas adressée à ce financeur dans cette COP.")
    if status not in set(AnswerStatus.__members__.values()):
        raise Invalid("Réponse inconnue : accordée, accordée en partie, refusée ou en instruction.")
    amount, budget = _amount_and_budget(funder, request, status, amount, reason, budget_id)
    if budget is not None:
        _lock(budget)
        previous = queries.current_answers([request.id]).get(request.id)
        already = previous.amount if previous is not None and previous.commits and previous.budget_id == budget.id \
            else Decimal(0)
        used = queries.committed([budget.id]).get(budget.id, Decimal(0)) - already
        if used + amount > budget.amount:
            raise Conflict("Budget dépassé : %(programme)s %(year)s n’a plus que %(left)s € disponibles.",
                           programme=budget.programme, year=budget.year, left=budget.amount - used)
    item = SupportAnswer(support_request_id=request.id, funder_id=funder.id, budget_id=budget.id if budget else None,
                         status=status, amount=amount, reason=reason.strip(), answered_by_id=user.id,
                         answered_on=answered_on or date.today())
    db.session.add(item)
    db.session.flush()
    record("support.answered", "support_request", request.id, actor=user, conference_id=funder.conference_id,
           data={"status": status, "amount": str(amount) if amount is not None else None,
                 "budget_id": item.budget_id})
    return item


def _amount_and_budget(funder, request, status, amount, reason, budget_id):
    """What the answer grants and from which budget, checked against its kind."""
    if status == AnswerStatus.REFUSED and not (reason or "").strip():
        raise Invalid("Un refus est motivé : indiquez la raison.")
    if status not in (AnswerStatus.GRANTED, AnswerStatus.PARTLY_GRANTED):
        return None, None
    if status == AnswerStatus.GRANTED:
        amount = request.amount
    elif amount is None or not Decimal(0) < amount < request.amount:
        raise Invalid("Un accord partiel porte sur un montant entre 0 et %(requested)s € (exclus).",
                      requested=request.amount)
    budget = queries.budget_of(funder, budget_id) if budget_id else None
    if budget is None:
        raise Invalid("Choisissez le budget sur lequel l’appui est engagé.")
    return amount, budget
