"""The demonstration COP of Auvergne-Rhône-Alpes: seed, conference, parties, targets and accounts.

Every step looks for what it would create first, so a second run changes nothing. The accounts below are for
demonstration only; the README and the browser tests read them from here.
"""
from datetime import date
from typing import NamedTuple, Optional

from cop.auth.models import User
from cop.auth.services import create_user
from cop.commitments.demo import seed_demo_commitments
from cop.conferences import parties, phases, services, targets
from cop.fairshare import operations as fair_operations
from cop.funding.demo import seed_demo_funding
from cop.conferences.models import Conference, Membership, Party
from cop.db import db
from cop.meetings.demo import seed_demo_meetings
from cop.negotiation.demo import seed_demo_draft
from cop.projects.demo import seed_demo_projects
from cop.reference.seed import load_reference
from cop.territories.models import Territory
from cop.territories.seed import load_territories

REGION_CODE = "84"
EDITION_YEAR = 2027
TITLE = "COP industrielle Auvergne-Rhône-Alpes 2027"
STATE_PARTY = "Préfecture de région Auvergne-Rhône-Alpes (services de l'État)"
LYON, GRENOBLE, CLERMONT = "200046977", "200040715", "246300701"


class DemoAccount(NamedTuple):
    """A demo account: its role in the demo COP and, for a delegation, the SIREN of its EPCI."""

    email: str
    password: str
    name: str
    label: str
    role: Optional[str] = None
    siren: Optional[str] = None
    #: For a delegation that is not an EPCI (the Region, the State's services): the party's name.
    party: Optional[str] = None


PRESIDENCY = DemoAccount("presidence@demo.cop.fr", "presidence-aura-2027", "Claire Vasseur",
                         "Présidence (Région)", "presidency")
SECRETARIAT = DemoAccount("secretariat@demo.cop.fr", "secretariat-aura-2027", "Julien Moreau",
                          "Secrétariat (préfecture de région)", "secretariat")
HEAD_LYON = DemoAccount("lyon@demo.cop.fr", "delegation-lyon-2027", "Nadia Benali",
                        "Chef de délégation, Métropole de Lyon", "head_of_delegation", LYON)
HEAD_GRENOBLE = DemoAccount("grenoble@demo.cop.fr", "delegation-grenoble-2027", "Pierre Fontaine",
                            "Chef de délégation, Grenoble-Alpes-Métropole", "head_of_delegation", GRENOBLE)
HEAD_CLERMONT = DemoAccount("clermont@demo.cop.fr", "delegation-clermont-2027", "Sophie Arnaud",
                            "Chef de délégation, Clermont Auvergne Métropole", "head_of_delegation", CLERMONT)
DELEGATE = DemoAccount("delegue@demo.cop.fr", "delegue-lyon-2027", "Thomas Girard",
                       "Délégué, Métropole de Lyon", "delegate", LYON)
OBSERVER = DemoAccount("observateur@demo.cop.fr", "observateur-2027", "Inès Lambert",
                       "Observatrice (panel citoyen)", "observer")
ADMIN = DemoAccount("admin@demo.cop.fr", "admin-plateforme-2027", "Administration COP",
                    "Administrateur de la plateforme")
HEAD_REGION = DemoAccount("region@demo.cop.fr", "delegation-region-2027", "Laurent Chabert",
                          "Chef de délégation, Région Auvergne-Rhône-Alpes", "head_of_delegation",
                          party="Auvergne-Rhône-Alpes")
HEAD_STATE = DemoAccount("etat@demo.cop.fr", "delegation-etat-2027", "Agnès Ferrand",
                         "Cheffe de délégation, services de l'État", "head_of_delegation", party=STATE_PARTY)
DEMO_ACCOUNTS = (PRESIDENCY, SECRETARIAT, HEAD_LYON, HEAD_GRENOBLE, HEAD_CLERMONT, HEAD_REGION, HEAD_STATE, DELEGATE,
                 OBSERVER, ADMIN)

DESCRIPTION = """La première COP industrielle d'Auvergne-Rhône-Alpes réunit les intercommunalités de la région, \
la Région et les services de l'État autour d'un objectif : **réindustrialiser d'ici 2030** en s'appuyant sur les \
filières où la région est en tête — microélectronique, chimie et matériaux, santé, énergie, métallurgie.

Chaque intercommunalité choisit ses filières prioritaires et dépose des engagements chiffrés ; le secrétariat \
publie la synthèse et l'écart aux objectifs régionaux avant la négociation."""

SETTINGS = {"opens_on": date(2026, 11, 2), "commitments_due_on": date(2027, 2, 26),
            "negotiation_on": date(2027, 3, 22), "adoption_on": date(2027, 4, 9), "horizon_year": 2030,
            "description": DESCRIPTION, "signature_act_required": True}

#: Regional targets for 2030: (filière, indicator) → value.
TARGETS_2030 = {
    ("electronique", "jobs-created"): "4500", ("electronique", "investment"): "7500000000",
    ("electronique", "training-places"): "3000",
    ("nouveaux-systemes-energetiques", "jobs-created"): "3500",
    ("nouveaux-systemes-energetiques", "investment"): "2000000000",
    ("nouveaux-systemes-energetiques", "ready-land-ha"): "120",
    ("nouveaux-systemes-energetiques", "ghg-reduction"): "400000",
    ("chimie-materiaux", "jobs-maintained"): "8000", ("chimie-materiaux", "investment"): "1500000000",
    ("chimie-materiaux", "brownfield-ha"): "150", ("chimie-materiaux", "ghg-reduction"): "900000",
    ("sante", "jobs-created"): "3000", ("sante", "investment"): "1200000000", ("sante", "training-places"): "1500",
    ("automobile", "jobs-maintained"): "12000", ("automobile", "training-places"): "2500",
    ("nucleaire", "jobs-created"): "2500", ("nucleaire", "training-places"): "2000",
    ("agroalimentaire", "jobs-created"): "1500", ("agroalimentaire", "jobs-maintained"): "6000",
    ("mines-metallurgie", "jobs-maintained"): "5000", ("mines-metallurgie", "ghg-reduction"): "500000",
    ("mines-metallurgie", "brownfield-ha"): "80",
    ("dechets", "ghg-reduction"): "200000", ("dechets", "net-sites"): "25",
    ("bois", "jobs-created"): "800", ("bois", "net-sites"): "15",
}


FAIR_SHARE_NOTE = ("Répartition indicative des objectifs 2030 au prorata de la population des intercommunalités "
                   "(population municipale, découpage administratif 6.0.0), en attendant les chiffres de l'emploi "
                   "industriel et du foncier disponible.")


def _account(spec: DemoAccount, region: Territory) -> User:
    """The demo account, created on the first run."""
    user = db.session.scalar(db.select(User).filter_by(email=spec.email))
    if user is None:
        user = create_user(spec.email, spec.password, spec.name, is_admin=spec is ADMIN)
        if spec.role in ("presidency", "secretariat"):
            user.region_id = region.id
    return user


def _conference(region: Territory, president: User) -> Conference:
    """The demo COP, opened by the presidency and given its calendar on the first run."""
    conference = db.session.scalar(db.select(Conference).filter_by(region_id=region.id, edition_year=EDITION_YEAR))
    if conference is None:
        conference = services.create_conference(president, region.id, EDITION_YEAR, TITLE)
        services.update_settings(president, conference, conference.version, SETTINGS)
    return conference


def _parties(conference: Conference, president: User) -> None:
    """Every EPCI of the region, the Region and the State's services, accredited when first invited."""
    new = parties.invite_all_epci(president, conference)
    names = {p.name for p in conference.parties}
    if conference.region.name not in names:
        new.append(parties.invite_region(president, conference))
    if STATE_PARTY not in names:
        new.append(parties.invite_organisation(president, conference, STATE_PARTY, "state"))
    for party in new:
        parties.set_accreditation(president, party, "accredited")


def _targets_and_phase(conference: Conference, president: User) -> None:
    """On the first run, set the 2030 targets and open the call for commitments (negotiation follows)."""
    if conference.phase != "preparation":
        return
    targets.set_targets(president, conference, 2030, TARGETS_2030)
    if fair_operations.current_basis(conference.id) is None:
        fair_operations.set_basis(president, conference, "population", seen=0, note=FAIR_SHARE_NOTE)
    phases.move_phase(president, conference, "call_for_commitments", "Ouverture de l'appel à engagements.",
                      confirmed=True)


def _funding(conference: Conference, president: User, region: Territory) -> None:
    """The Region and the State's services answer the support requests of the accepted demo commitments."""
    if conference.phase != "call_for_commitments":
        return
    by_name = {p.name: p for p in db.session.scalars(db.select(Party).filter(
        Party.conference_id == conference.id, (Party.territory_id == region.id) | (Party.name == STATE_PARTY)))}
    seed_demo_funding(conference, president, {"region": by_name[region.name], "state": by_name[STATE_PARTY]})


def _open_negotiation(conference: Conference, president: User) -> None:
    """Once the demo commitments are filed, open the negotiation so that the plenary can sit at once."""
    if conference.phase == "call_for_commitments":
        phases.move_phase(president, conference, "negotiation",
                          "Les engagements de la démonstration sont déposés : ouverture de la négociation.",
                          confirmed=True)


def _membership(conference: Conference, user: User, spec: DemoAccount) -> None:
    """The account's role in the demo COP, created on the first run."""
    if spec.role is None or db.session.scalar(db.select(Membership).filter_by(user_id=user.id,
                                                                            conference_id=conference.id)):
        return
    party = None
    if spec.siren:
        party = db.session.scalar(db.select(Party).join(Party.territory).filter(
            Party.conference_id == conference.id, Territory.kind == "epci", Territory.code == spec.siren))
    elif spec.party:
        party = db.session.scalar(db.select(Party).filter_by(conference_id=conference.id, name=spec.party))
    db.session.add(Membership(user_id=user.id, conference_id=conference.id, role=spec.role,
                              party_id=party.id if party else None, is_accredited=True,
                              may_file=spec.role == "delegate"))


#: The phases in which the demo COP is still being built.
BUILT_IN = ("preparation", "call_for_commitments", "negotiation")


def _party_named(conference: Conference, name: str) -> Party:
    """A party of the demo COP by its name."""
    return db.session.scalar(db.select(Party).filter_by(conference_id=conference.id, name=name))


def build_demo() -> list[tuple[str, str, str]]:
    """Seed, build the AURA demo COP and its accounts, commit; return (e-mail, password, label) of each account."""
    load_territories(db.session)
    load_reference(db.session)
    region = db.session.scalar(db.select(Territory).filter_by(kind="region", code=REGION_CODE))
    users = {spec: _account(spec, region) for spec in DEMO_ACCOUNTS}
    conference = _conference(region, users[PRESIDENCY])
    if conference.phase in BUILT_IN:  # later (`--feuille-de-route`), the COP is built: a new run changes nothing
        _parties(conference, users[PRESIDENCY])
        _targets_and_phase(conference, users[PRESIDENCY])
        for spec, user in users.items():
            _membership(conference, user, spec)
        seed_demo_meetings()
        seed_demo_draft()
        seed_demo_commitments(conference)
        seed_demo_projects(conference, users[PRESIDENCY], {
            "region": (_party_named(conference, HEAD_REGION.party), users[HEAD_REGION]),
            "state": (_party_named(conference, HEAD_STATE.party), users[HEAD_STATE])})
        _funding(conference, users[PRESIDENCY], region)
        _open_negotiation(conference, users[PRESIDENCY])
    db.session.commit()
    return [(spec.email, spec.password, spec.label) for spec in DEMO_ACCOUNTS]


def build_demo_roadmap() -> None:
    """The demo COP carried on: roadmap adopted, signed by the metropolises on their acts, amended once; Lyon's
    chemistry contract generated, signed by Lyon, the Region and the State, one payment recorded; commit."""
    from cop.contracts.demo import seed_demo_contract
    from cop.roadmap.demo import seed_demo_roadmap

    conference = db.session.scalar(db.select(Conference).filter_by(edition_year=EDITION_YEAR))
    passwords = {spec.email: spec.password for spec in DEMO_ACCOUNTS}
    seed_demo_roadmap(conference, passwords)
    seed_demo_contract(conference, passwords)
    db.session.commit()
