"""`cop seal verify`: every revealed project hashes to its seal, and the seals the roadmaps published are kept."""
import re
from typing import Optional

from sqlalchemy import select

from cop.db import db
from cop.projects import seal
from cop.projects.models import Project
from cop.roadmap.models import Roadmap, RoadmapVersion

HEX64 = re.compile(r"[0-9a-f]{64}")


def _project_findings(project: Project) -> list[str]:
    """What is wrong with one sealed project's seal."""
    where = f"COP {project.conference_id}, projet n° {project.number}"
    if not project.seal_salt or not HEX64.fullmatch(project.seal_digest or ""):
        return [f"{where} : sceau absent ou mal formé."]
    if project.is_revealed and not seal.matches(project):
        return [f"{where} : le contenu révélé ne correspond pas au sceau publié {project.seal_digest}."]
    return []


def _roadmap_findings(conference_id: Optional[int], by_number: dict) -> list[str]:
    """Seals a roadmap version published that the registry no longer holds."""
    query = select(RoadmapVersion, Roadmap.conference_id).join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
    if conference_id is not None:
        query = query.where(Roadmap.conference_id == conference_id)
    out = []
    for version, cid in db.session.execute(query):
        for item in (version.content or {}).get("projects", []):
            project = by_number.get((cid, item["number"]))
            if item.get("seal") and (project is None or project.seal_digest != item["seal"]):
                out.append(f"COP {cid}, feuille de route v{version.number} : le sceau publié du projet "
                           f"n° {item['number']} ({item['seal']}) n’est plus celui du registre.")
    return out


def verify_all(conference_id: Optional[int] = None) -> tuple[int, int, list[str]]:
    """(sealed projects checked, of which revealed, findings) for one COP or all."""
    query = select(Project).where(Project.is_sealed.is_(True))
    if conference_id is not None:
        query = query.where(Project.conference_id == conference_id)
    projects = list(db.session.scalars(query.order_by(Project.conference_id, Project.number)))
    findings = [finding for project in projects for finding in _project_findings(project)]
    findings += _roadmap_findings(conference_id, {(p.conference_id, p.number): p for p in projects})
    return len(projects), sum(1 for p in projects if p.is_revealed), findings
