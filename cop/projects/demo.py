"""The demo's projects and seals: a sealed metal-recovery unit in Grenoble's commitments, revealed at its
announcement date; a recycling platform pledged once by the Métropole de Lyon, the Region and the State with shares;
Clermont's wood commitment and a registry site, both still sealed (announced after the demo's dates)."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from typing import Optional

from cop.commitments import services as commitment_services, submission
from cop.commitments.demo import CLERMONT, GRENOBLE, LYON, _file, _people, _texts
from cop.commitments.inputs import DraftInput, PledgeInput, SupportInput
from cop.commitments.models import Commitment
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.projects import operations, schedule
from cop.projects.models import Project
from cop.reference.models import Sector
from cop.seals import operations as seals
from cop.sites import operations as site_operations
from cop.sites.models import RegistrySite
from cop.territories.models import Commune

SEALED = dict(sector_code="mines-metallurgie", name="Unité de récupération des métaux précieux des plaquettes",
              commune="38185", description="Récupération de l’or, du palladium et du gallium des plaquettes et "
                                           "des rebuts de la microélectronique, sur la presqu’île scientifique.",
              sealed=True, reason="L’industriel annonce lui-même son investissement (secret des affaires).",
              announce_on=date(2027, 3, 15))
SHARED = dict(sector_code="mines-metallurgie", name="Plateforme de recyclage des métaux critiques de Saint-Fons",
              commune="69199", description="Récupération du cobalt, du nickel et des terres rares des batteries et "
                                           "des aimants, sur une friche de la Vallée de la chimie.")
#: Who pledges on the shared platform, and the share each declares (the land and training, then the aids).
SHARES = (("lyon", D(40), "La Métropole apporte le foncier réhabilité et les places de formation."),
          ("region", D(30), "La Région finance l’investissement au titre de sa stratégie industrielle."),
          ("state", D(30), "L’État accompagne le projet au titre de France 2030."))


def _project(conference: Conference, head, party: Party, spec: dict) -> Project:
    """The project registered by the party on the first run."""
    found = db.session.scalar(db.select(Project).filter_by(conference_id=conference.id, name=spec["name"]))
    return found or operations.register(head, party, **spec)


def _line(indicator: str, value: str, project: Project, share=D(100)) -> PledgeInput:
    return PledgeInput(indicator, 2025, D(0), 2030, D(value), D(0), project.id, share)


def _sealed_in_grenoble(conference: Conference, president) -> None:
    """Grenoble's recovery unit sealed, named by a pledge line, then warned and revealed by the schedule."""
    party, head = _people(conference, GRENOBLE)
    project = _project(conference, head, party, SEALED)
    _file(party, head, president, "mines-metallurgie", "Recyclage des matériaux de la microélectronique.", [
        (DraftInput(2025, 2030, _texts("Recyclage des métaux des composants électroniques.",
                                       "- Une unité de récupération (projet confidentiel jusqu’à son annonce)",
                                       "Minalogic, CEA, industriels."),
                    [_line("investment", "740000000", project), _line("jobs-created", "600", project)], [], []),
         True)])
    if project.is_hidden:
        announce = datetime.combine(project.announce_on, datetime.min.time(), tzinfo=timezone.utc)
        schedule.run(announce - operations.NOTICE)
        schedule.run(announce + timedelta(hours=9))


def _shared_platform(conference: Conference, president, heads: dict) -> None:
    """The Saint-Fons platform, registered by Lyon, pledged by Lyon, the Region and the State with their shares."""
    lyon, lyon_head = _people(conference, LYON)
    parties = {"lyon": (lyon, lyon_head), **heads}
    project = _project(conference, lyon_head, lyon, SHARED)
    for key, share, why in SHARES:
        party, head = parties[key]
        _file(party, head, president, "mines-metallurgie", why, [
            (DraftInput(2025, 2030, _texts(SHARED["description"], "- " + why,
                                           "Industriels de la Vallée de la chimie, France Travail, syndicats."),
                        [_line("jobs-maintained", "350", project, share),
                         _line("brownfield-ha", "18", project, share)], [], []), True)])


#: Clermont's wood commitment, sealed until the sawmill's buyer announces itself (after the demo's dates).
SEALED_COMMITMENT = dict(
    sector="bois", announce_on=date(2027, 10, 1),
    why="Forêts du Livradois-Forez et du Sancy : la première ressource en feuillus du Massif central.",
    reason="Le repreneur de la scierie annoncera lui-même son projet ; ses négociations avec le propriétaire sont "
           "en cours.",
    texts=_texts("Reprise d’une scierie de feuillus à Ambert et d’une unité de panneaux à Thiers.",
                 "- Reprise de la scierie par un industriel du bois d’œuvre\n- Ligne de panneaux de fibres\n"
                 "- Formation de 40 scieurs et pilotes de ligne",
                 "Interprofession Fibois, communes forestières, Parc naturel régional Livradois-Forez."))
#: A site of the registry the presidency keeps sealed while its sale is negotiated.
SEALED_SITE = dict(name="Ancienne usine de pneumatiques des Gravanches", commune="63113", hectares=D("23.5"),
                   owner="Groupe industriel (cession en cours)", power_mw=D("30"), rail=True,
                   description="Bâtiments de 60 000 m², embranchement ferré, poste électrique de 30 MW.",
                   reason="La cession du site est en négociation : son nom et son propriétaire restent confidentiels "
                          "jusqu’à la signature.", announce_on=date(2027, 11, 30))


def _sealed_commitment_in_clermont(conference: Conference, president) -> None:
    """Clermont seals its wood commitment before filing it: its figures count, its texts wait for the announcement."""
    party, head = _people(conference, CLERMONT)
    spec = SEALED_COMMITMENT
    sector = db.session.scalar(db.select(Sector).filter_by(code=spec["sector"]))
    if party is None or head is None or db.session.scalar(
            db.select(Commitment.id).filter_by(party_id=party.id, sector_id=sector.id)):
        return
    commitment_services.declare_priority(head, party, sector, spec["why"])
    commitment = commitment_services.start_commitment(head, party, sector)
    seals.seal(head, commitment, spec["reason"], spec["announce_on"])
    commitment_services.save_draft(head, commitment, commitment.version, DraftInput(
        2025, 2030, spec["texts"], [PledgeInput("jobs-created", 2025, D(0), 2030, D(120), D(40)),
                                    PledgeInput("investment", 2025, D(0), 2030, D(35000000), D(10000000))],
        [SupportInput("region", D(4000000), "Aide à l’investissement de la ligne de panneaux de la scierie reprise.",
                      ["jobs-created", "investment"])], []))
    version = submission.submit(head, commitment, commitment.version)
    submission.review(president, version, True, "Engagement complet ; contenu lu sous sceau, lecture journalisée.")


def _sealed_site(conference: Conference, president) -> None:
    """A site the presidency registers sealed: the public sees its département and its figures, not its name."""
    if db.session.scalar(db.select(RegistrySite.id).filter_by(conference_id=conference.id, is_sealed=True)):
        return
    spec = SEALED_SITE
    commune = db.session.scalar(db.select(Commune).filter_by(code=spec["commune"]))
    site_operations.register(president, conference, site_operations.SiteInput(
        name=spec["name"], commune=commune, hectares=spec["hectares"], status="ready", owner=spec["owner"],
        power_mw=spec["power_mw"], rail_access=spec["rail"], description=spec["description"]),
        sealed=True, reason=spec["reason"], announce_on=spec["announce_on"])


def seed_demo_projects(conference: Conference, president, heads: dict[str, tuple[Party, Optional[object]]]) -> None:
    """Both demo projects, while the call for commitments is open (heads: "region" and "state" → party, head)."""
    if conference.phase != "call_for_commitments" or any(head is None for _, head in heads.values()):
        return
    _sealed_in_grenoble(conference, president)
    _shared_platform(conference, president, heads)
    _sealed_commitment_in_clermont(conference, president)
    _sealed_site(conference, president)
    db.session.flush()
