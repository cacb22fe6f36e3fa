"""The demo's projects: a sealed metal-recovery unit in Grenoble's commitments, revealed at its announcement
date, and a recycling platform pledged once by the Métropole de Lyon, the Region and the State with shares."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from typing import Optional

from cop.commitments.demo import GRENOBLE, LYON, _file, _people, _texts
from cop.commitments.inputs import DraftInput, PledgeInput
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.projects import operations, schedule
from cop.projects.models import Project

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


def seed_demo_projects(conference: Conference, president, heads: dict[str, tuple[Party, Optional[object]]]) -> None:
    """Both demo projects, while the call for commitments is open (heads: "region" and "state" → party, head)."""
    if conference.phase != "call_for_commitments" or any(head is None for _, head in heads.values()):
        return
    _sealed_in_grenoble(conference, president)
    _shared_platform(conference, president, heads)
    db.session.flush()
