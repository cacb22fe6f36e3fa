"""Demo commitments of the three metropolises of the AURA demo COP, filed and reviewed through the services.

Run at the end of cop.demo.build_demo(); a commitment that already exists is left alone, so a second run
changes nothing. Figures are plausible orders of magnitude, not official pledges.
"""
from decimal import Decimal as D
from typing import Optional

from cop.auth.models import User
from cop.commitments import services, submission
from cop.commitments.inputs import DraftInput, PledgeInput, SiteInput, SupportInput
from cop.commitments.models import Commitment
from cop.conferences.models import Conference, Membership, Party
from cop.db import db
from cop.reference.models import Sector
from cop.territories.models import Territory

LYON, GRENOBLE, CLERMONT = "200046977", "200040715", "246300701"


def _pledge(indicator: str, unconditional: str, conditional: str = "0", reference: str = "0") -> PledgeInput:
    return PledgeInput(indicator, 2025, D(reference), 2030, D(unconditional), D(conditional))


def _texts(scope: str, actions: str, consulted: str, **extra) -> dict:
    return {"scope": scope, "actions": actions, "local_preparation": consulted,
            "assumptions_method": "Projets identifiés par l’agence de développement économique, chiffrés avec "
                                  "les industriels ; emplois comptés en équivalents temps plein.",
            "fairness_ambition": "Au moins la part du territoire dans l’emploi industriel régional, "
                                 "au-delà de la tendance 2015-2024.",
            "regional_contribution": "Contribue directement aux objectifs régionaux 2030 de la filière.", **extra}


#: SIREN → [(filière, why it is a priority, [versions: (DraftInput, accepted?)])].
PLANS = {
    LYON: [
        ("chimie-materiaux", "Vallée de la chimie : premier pôle chimique français, plateformes et compétences.", [
            (DraftInput(2025, 2030, _texts(
                "Plateformes de la Vallée de la chimie (Saint-Fons, Pierre-Bénite, Feyzin).",
                "- Décarbonation des procédés (électrification, chaleur fatale)\n"
                "- Réhabilitation de **friches** pour de nouveaux procédés\n- Campus des métiers de la chimie",
                "Industriels de la plateforme, France Chimie AURA, communes riveraines, syndicats."),
                [_pledge("jobs-maintained", "3200", "600", "3000"), _pledge("investment", "450000000", "150000000"),
                 _pledge("brownfield-ha", "35", "15"), _pledge("ghg-reduction", "180000", "60000")],
                [SupportInput("state", D("60000000"), "Appel à projets décarbonation (France 2030)",
                              ["investment", "ghg-reduction", "jobs-maintained"]),
                 SupportInput("banque_des_territoires", D("25000000"), "Fonds friches", ["brownfield-ha"])],
                [SiteInput("Friche de la Vallée de la chimie", "69199", D("22"), "brownfield", "in_progress")]), True),
        ]),
        ("sante", "Lyonbiopôle, vaccins et diagnostic : un écosystème de rang mondial.", [
            (DraftInput(2025, 2030, _texts(
                "Biotechnologies, vaccins, diagnostic in vitro dans la métropole.",
                "- Bio-production : deux usines de taille intermédiaire\n- Formation aux métiers de la bio-production",
                "Lyonbiopôle, universités, hôpitaux civils de Lyon, entreprises du secteur."),
                [_pledge("jobs-created", "1200", "300"), _pledge("investment", "350000000", "100000000"),
                 _pledge("training-places", "500")],
                [SupportInput("bpifrance", D("40000000"), "Prêts d’amorçage à la bio-production",
                              ["jobs-created", "investment"])],
                [SiteInput("Parc d’activités de Vénissieux", "69259", D("8"), "ready_land", "available")]), True),
        ]),
    ],
    GRENOBLE: [
        ("electronique", "Microélectronique et semi-conducteurs : CEA-Leti, fonderies et sous-traitants.", [
            (DraftInput(2025, 2030, _texts(
                "Semi-conducteurs, composants et équipements sur la presqu’île scientifique et l’agglomération.",
                "- Extension des lignes de production 300 mm\n- Plan régional de formation aux salles blanches",
                "Minalogic, CEA, Université Grenoble Alpes, entreprises et organisations syndicales."),
                [_pledge("jobs-created", "1800", "700"), _pledge("investment", "3200000000", "1000000000"),
                 _pledge("training-places", "900", "300")],
                [SupportInput("eu", D("800000000"), "Programme européen sur les semi-conducteurs",
                              ["investment", "jobs-created"]),
                 SupportInput("region", D("15000000"), "Formations aux métiers des salles blanches",
                              ["training-places"])],
                [SiteInput("Presqu’île scientifique, îlot nord", "38185", D("6"), "ready_land", "in_progress")]), True),
        ]),
        ("nouveaux-systemes-energetiques", "Hydrogène et électronique de puissance autour des laboratoires.", [
            (DraftInput(2025, 2030, _texts(
                "Électrolyseurs, piles à combustible et électronique de puissance.",
                "- Usine d’électrolyseurs\n- Zone d’activités dédiée à Saint-Martin-d’Hères",
                "Pôle Tenerrdis, communes, gestionnaire de réseau."),
                [_pledge("jobs-created", "700"), _pledge("ready-land-ha", "25"), _pledge("ghg-reduction", "60000")],
                [], [SiteInput("Zone d’activités des Glairons", "38421", D("12"), "ready_land", "identified")]), False),
        ]),
    ],
    CLERMONT: [
        ("automobile", "Pneumatique et mobilités : le premier employeur industriel du territoire.", [
            (DraftInput(2025, 2030, _texts(
                "Pneumatique, composants et mobilités durables.",
                "- Maintien des sites de production\n- Reconversion des compétences vers les nouveaux matériaux",
                "Industriels, CCI Puy-de-Dôme, organisations syndicales, France Travail."),
                [_pledge("jobs-maintained", "4500", "0", "5200"), _pledge("training-places", "600")], [], []), True),
            (DraftInput(2025, 2030, _texts(
                "Pneumatique, composants et mobilités durables.",
                "- Maintien des sites de production\n- Reconversion des compétences vers les nouveaux matériaux",
                "Industriels, CCI Puy-de-Dôme, organisations syndicales, France Travail.",
                justification="La fermeture annoncée d’une ligne de production réduit de 500 les emplois "
                              "maintenus ; les places de formation sont relevées pour accompagner les salariés."),
                [_pledge("jobs-maintained", "4000", "0", "5200"), _pledge("training-places", "800")], [], []), True),
        ]),
        ("agroalimentaire", "Élevage, fromages AOP et eaux minérales : une filière ancrée dans le Massif central.", [
            (DraftInput(2025, 2030, _texts(
                "Transformation laitière, eaux minérales, ingrédients.",
                "- Modernisation de trois laiteries\n- Légumerie pour la restauration collective",
                "Chambre d’agriculture, coopératives, Vetagro Sup."),
                [_pledge("jobs-created", "300", "100"), _pledge("jobs-maintained", "1500")],
                [SupportInput("region", D("8000000"), "Modernisation des outils de transformation",
                              ["jobs-created"])], []), True),
        ]),
    ],
}


def _people(conference: Conference, siren: str) -> tuple[Party, User]:
    """The EPCI's party and its head of delegation."""
    party = db.session.scalar(db.select(Party).join(Territory, Territory.id == Party.territory_id).where(
        Party.conference_id == conference.id, Territory.kind == "epci", Territory.code == siren))
    head = db.session.scalar(db.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.conference_id == conference.id, Membership.party_id == party.id,
        Membership.role == "head_of_delegation"))
    return party, head


def _file(party: Party, head: User, president: User, code: str, reason: str, versions) -> None:
    """Declare the priority, then file every version and have the presidency review it."""
    sector = db.session.scalar(db.select(Sector).filter_by(code=code))
    if db.session.scalar(db.select(Commitment.id).filter_by(party_id=party.id, sector_id=sector.id)):
        return
    services.declare_priority(head, party, sector, reason)
    commitment = services.start_commitment(head, party, sector)
    for index, (data, accepted) in enumerate(versions):
        if index:
            services.open_draft(head, commitment)
        services.save_draft(head, commitment, commitment.version, data)
        version = submission.submit(head, commitment, commitment.version)
        if accepted:
            submission.review(president, version, True, "Engagement complet et étayé.")


def seed_demo_commitments(conference: Optional[Conference] = None) -> None:
    """File the three metropolises' commitments in the demo COP while its call for commitments is open."""
    if conference is None:
        conference = db.session.scalar(db.select(Conference).join(Territory, Territory.id == Conference.region_id)
                                       .where(Territory.kind == "region", Territory.code == "84")
                                       .order_by(Conference.edition_year.desc()).limit(1))
    if conference is None or conference.phase != "call_for_commitments":
        return
    president = db.session.scalar(db.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.conference_id == conference.id, Membership.role == "presidency"))
    for siren, plans in PLANS.items():
        party, head = _people(conference, siren)
        if party is None or head is None:
            continue
        for code, reason, versions in plans:
            _file(party, head, president, code, reason, versions)
    db.session.flush()
