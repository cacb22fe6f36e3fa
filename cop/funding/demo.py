"""The demo's funders: the Region and the State's services answer the support requests of the accepted commitments.

Their answers are written by an agent of each funder's delegation (an account without a password: the demo shows
the answers, it does not log in as the funders) through the same services as the pages.
"""
from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from cop.auth.models import User
from cop.auth.services import create_user
from cop.conferences.models import Conference, Membership, Party
from cop.db import db
from cop.funding import operations, queries
from cop.funding.models import Funder

#: funder code → (answer days, agent's e-mail and name, budget programme, year, amount).
FUNDERS = {
    "region": (60, "appuis.region@demo.cop.fr", "Agence régionale des appuis", "Formation et compétences", 2027,
               D("30000000")),
    "state": (90, "appuis.etat@demo.cop.fr", "SGAR Auvergne-Rhône-Alpes", "France 2030 — décarbonation", 2027,
              D("100000000")),
}
#: (funder code, purpose) → (answer, amount for a partial grant, reason).
ANSWERS = {
    ("region", "Formations aux métiers des salles blanches"): ("partly_granted", D("10000000"), ""),
    ("region", "Modernisation des outils de transformation"): ("granted", None, ""),
    ("state", "Appel à projets décarbonation (France 2030)"): ("granted", None, ""),
}


def _agent(conference: Conference, party: Party, email: str, name: str) -> User:
    """The funder's agent: a delegate allowed to act for its party."""
    user = db.session.scalar(select(User).filter_by(email=email)) or create_user(email, None, name)
    db.session.flush()
    if db.session.scalar(select(Membership).filter_by(user_id=user.id, conference_id=conference.id)) is None:
        db.session.add(Membership(user_id=user.id, conference_id=conference.id, role="delegate", party_id=party.id,
                                  is_accredited=True, may_file=True))
        db.session.flush()
    return user


def seed_demo_funding(conference: Conference, president: User, funder_parties: dict[str, Party]) -> None:
    """On the first run: designate the funders, publish their budgets and answer the demo's requests."""
    if db.session.scalar(select(Funder).filter_by(conference_id=conference.id)) is not None:
        return
    for code, (days, email, name, programme, year, amount) in FUNDERS.items():
        party = funder_parties[code]
        funder = operations.register_funder(president, conference, party, code, days)
        agent = _agent(conference, party, email, name)
        budget = operations.set_budget(agent, funder, programme, year, amount)
        for line in queries.requests(conference.id, code):
            status, partial, reason = ANSWERS.get((code, line.request.purpose), ("under_instruction", None, ""))
            operations.answer(agent, funder, line.request, status, amount=partial, reason=reason,
                              budget_id=budget.id, answered_on=date(2027, 3, 16))
