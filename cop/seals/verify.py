"""`cop seal verify`: every revealed content hashes to its seal (projects, commitments, sites), every hidden one
still matches the seal published, and the seals the roadmaps published are kept."""
import re
from typing import Optional

from sqlalchemy import select

from cop.db import db
from cop.roadmap.models import Roadmap, RoadmapVersion
from cop.seals import digest, kinds, operations

HEX64 = re.compile(r"[0-9a-f]{64}")
WORDS = {"project": "projet n°", "commitment": "engagement n°", "site": "site n°"}


def _findings(obj) -> list[str]:
    """What is wrong with one sealed object's seal."""
    kind = kinds.of(obj)
    where = f"COP {obj.conference_id}, {WORDS[kind.code]} {kind.ref(obj)}"
    if not obj.seal_salt or not HEX64.fullmatch(obj.seal_digest or ""):
        return [f"{where} : sceau absent ou mal formé."]
    if not digest.matches(obj, operations.hidden_content(obj)):
        state = "révélé" if obj.is_revealed else "scellé"
        return [f"{where} : le contenu {state} ne correspond pas au sceau publié {obj.seal_digest}."]
    return []


def _roadmap_findings(conference_id: Optional[int], by_ref: dict) -> list[str]:
    """Seals a roadmap version published that the registry no longer holds."""
    query = select(RoadmapVersion, Roadmap.conference_id).join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
    if conference_id is not None:
        query = query.where(Roadmap.conference_id == conference_id)
    out = []
    for version, cid in db.session.execute(query):
        content = version.content or {}
        published = [("project", item.get("number"), item.get("seal")) for item in content.get("projects", [])]
        published += [(item.get("kind"), item.get("ref"), item.get("seal")) for item in content.get("seals", [])]
        for code, ref, seal in published:
            found = by_ref.get((code, cid, ref))
            if seal and (found is None or (found.seal_digest != seal
                                           and seal not in operations.past_seals(found))):
                out.append(f"COP {cid}, feuille de route v{version.number} : le sceau publié du "
                           f"{WORDS.get(code, code)} {ref} ({seal}) n’est plus celui du registre.")
    return out


def verify_all(conference_id: Optional[int] = None) -> tuple[int, int, list[str]]:
    """(sealed contents checked, of which revealed, findings) for one COP or all."""
    found = []
    for kind in kinds.all_kinds():
        model = kind.model
        query = select(model).where(model.is_sealed.is_(True))
        if conference_id is not None:
            query = query.where(model.conference_id == conference_id)
        found += db.session.scalars(query.order_by(model.conference_id, model.id)).all()
    findings = [finding for obj in found for finding in _findings(obj)]
    by_ref = {(kinds.of(o).code, o.conference_id, kinds.of(o).ref(o)): o for o in found}
    findings += _roadmap_findings(conference_id, by_ref)
    return len(found), sum(1 for o in found if o.is_revealed), findings
