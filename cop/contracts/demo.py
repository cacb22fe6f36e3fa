"""The demo's contract: the Métropole de Lyon's chemistry pledges (filière « chimie et matériaux ») with the State's
granted support, three milestones, signed by Lyon, the Region and the State on their acts, one disbursement.

Run by `flask --app wsgi cop demo --feuille-de-route` once the roadmap is signed (the COP is then in
implementation); every step goes through the same services as the pages, and a second run changes nothing. The acts
are specimens laid out like the roadmap demo's.
"""
from datetime import date, timedelta
from decimal import Decimal as D

from sqlalchemy import select

from cop.auth.models import User
from cop.conferences.models import Conference, Membership, Party
from cop.contracts import operations
from cop.contracts.models import Contract
from cop.db import db
from cop.reference.models import Sector
from cop.roadmap.acts import ActInput
from cop.roadmap.demo import act_pdf
from cop.rulebook.enums import ActKind

SECTOR = "chimie-materiaux"
#: The milestones of the 60 M€ the State granted to the Vallée de la chimie's decarbonisation.
MILESTONES = (
    ("Électrification des fours de la plateforme de Saint-Fons", date(2027, 12, 31), D("20000000")),
    ("Récupération de la chaleur fatale de Pierre-Bénite", date(2028, 12, 31), D("25000000")),
    ("Mise en service des procédés décarbonés de Feyzin", date(2029, 12, 31), D("15000000")),
)
#: E-mail of each signatory → (act number, days before the signature, body, kind of act).
ACTS = {
    "lyon@demo.cop.fr": ("DEL-2028-0211", 9, "Conseil de la Métropole de Lyon", ActKind.DELIBERATION),
    "region@demo.cop.fr": ("CP-2028-03-114", 14, "Commission permanente du conseil régional", ActKind.DELIBERATION),
    "etat@demo.cop.fr": ("ARR-2028-SGAR-031", 6, "Préfète de région, par délégation au SGAR", ActKind.DELEGATION),
}
#: The first payment, recorded by the State's agent against the first milestone.
PAYMENT = (D("12000000"), "Premier acompte sur l’électrification des fours.")


def _user(email: str) -> User:
    return db.session.scalar(select(User).filter_by(email=email))


def _party_of(user: User, conference: Conference) -> Party:
    return db.session.scalar(select(Membership).filter_by(user_id=user.id, conference_id=conference.id)).party


def seed_demo_contract(conference: Conference, passwords: dict) -> None:
    """Generate Lyon's chemistry contract, have the three parties sign it on their acts, record one payment."""
    if db.session.scalar(select(Contract.id).filter_by(conference_id=conference.id)) is not None:
        return
    lyon = _party_of(_user("lyon@demo.cop.fr"), conference)
    sector = db.session.scalar(select(Sector).filter_by(code=SECTOR))
    contract = operations.generate(_user("secretariat@demo.cop.fr"), conference, lyon, sector,
                                   [operations.MilestoneInput(*m) for m in MILESTONES])
    for email, (number, days, body, kind) in ACTS.items():
        user = _user(email)
        party = _party_of(user, conference)
        day = date.today() - timedelta(days=days)
        pdf = act_pdf(party.name, number, day, body, kind,
                      about=f"le contrat n° {contract.number} de la filière chimie et matériaux "
                            "de la Métropole de Lyon")
        operations.sign(user, contract, party, contract.sha256, password=passwords[email],
                        act=ActInput(kind, number, day, body, f"{number}.pdf", "application/pdf", pdf))
    agent = _user("appuis.etat@demo.cop.fr")
    operations.disburse(agent, contract, contract.milestones[0], _party_of(agent, conference), PAYMENT[0],
                        date.today() - timedelta(days=2), PAYMENT[1])
