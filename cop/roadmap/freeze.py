"""Freezing an adopted version: the document that is hashed, its canonical JSON, its SHA-256, and the checks."""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from cop import canonical
from cop.db import db
from cop.roadmap.models import FROZEN_STATES, Roadmap, RoadmapVersion


def utc_text(moment: Optional[datetime]) -> Optional[str]:
    """A stored datetime as UTC text to the second (SQLite gives naive datetimes back, PostgreSQL aware ones)."""
    if moment is None:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def document(version: RoadmapVersion) -> dict:
    """What is published and hashed: the content plus the version's identity and its adoption; a version adopted
    by amendment also names the SHA-256 of the version it amends (the chain of versions)."""
    published = {
        "version": version.number, "generated_at": utc_text(version.generated_dt),
        "adopted_at": utc_text(version.adopted_dt), "decision": version.decision_reference,
        "roadmap": version.content,
    }
    if version.previous_sha256:
        published["previous_sha256"] = version.previous_sha256
    return published


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def freeze(version: RoadmapVersion) -> None:
    """Store the canonical JSON and its hash (once: a frozen version is never frozen again)."""
    version.canonical_json = canonical.dumps(document(version))
    version.sha256 = sha256_hex(version.canonical_json)


@dataclass
class Finding:
    """What is wrong with a frozen version."""

    version: RoadmapVersion
    message: str


def _first_difference(stored: str, derived: str) -> str:
    """Where two JSON texts first differ: the JSON path when both parse, else the character offset."""
    try:
        path = _diff_path(json.loads(stored), json.loads(derived), "$")
    except ValueError:
        path = None
    offset = next((i for i, (a, b) in enumerate(zip(stored, derived)) if a != b), min(len(stored), len(derived)))
    where = f"à {path}, " if path else ""
    return f"{where}caractère {offset} ({stored[offset:offset + 40]!r} au lieu de {derived[offset:offset + 40]!r})"


def _diff_path(a, b, path: str) -> Optional[str]:
    """The JSON path of the first difference between two parsed values, or None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}"
            found = _diff_path(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for index, (x, y) in enumerate(zip(a, b)):
            found = _diff_path(x, y, f"{path}[{index}]")
            if found:
                return found
        return None if len(a) == len(b) else f"{path}[{min(len(a), len(b))}]"
    return None if a == b else path


def check(version: RoadmapVersion) -> list[str]:
    """Problems of a frozen version: hash of the stored JSON, JSON re-derived from the stored content."""
    problems = []
    if not version.canonical_json or not version.sha256:
        return ["version adoptée sans JSON canonique ni empreinte"]
    recomputed = sha256_hex(version.canonical_json)
    if recomputed != version.sha256:
        problems.append(f"l’empreinte du JSON canonique stocké est {recomputed}, l’empreinte publiée {version.sha256}")
    derived = canonical.dumps(document(version))
    if derived != version.canonical_json:
        problems.append("le JSON canonique stocké ne correspond plus au contenu stocké : "
                        + _first_difference(version.canonical_json, derived))
    return problems + cross_check(version) + chain_check(version)


def previous_frozen(version: RoadmapVersion) -> Optional[RoadmapVersion]:
    """The frozen version adopted before this one (the one an amendment amends)."""
    return db.session.scalar(
        db.select(RoadmapVersion).where(RoadmapVersion.roadmap_id == version.roadmap_id,
                                        RoadmapVersion.number < version.number,
                                        RoadmapVersion.state.in_(FROZEN_STATES))
        .order_by(RoadmapVersion.number.desc()).limit(1))


def chain_check(version: RoadmapVersion) -> list[str]:
    """A version adopted by amendment names the hash of the version before it: that hash must be the previous
    version's published hash and the hash of its stored JSON (rewriting version N breaks N+1's link)."""
    if not version.previous_sha256:
        return []
    previous = previous_frozen(version)
    if previous is None:
        return [f"la version amende une version d’empreinte {version.previous_sha256[:12]}… introuvable"]
    problems = []
    if previous.sha256 != version.previous_sha256:
        problems.append(f"chaîne rompue : la version nomme l’empreinte {version.previous_sha256[:12]}… de la "
                        f"version {previous.number}, publiée sous {str(previous.sha256)[:12]}…")
    if sha256_hex(previous.canonical_json or "") != version.previous_sha256:
        problems.append(f"chaîne rompue : le JSON stocké de la version {previous.number} n’a plus l’empreinte "
                        f"{version.previous_sha256[:12]}… que la version nomme")
    return problems


def chain(roadmap: Roadmap) -> list[RoadmapVersion]:
    """The frozen versions of a roadmap, oldest first: each amendment links to the one before it."""
    return [v for v in roadmap.versions if v.is_frozen]


def cross_check(version: RoadmapVersion) -> list[str]:
    """The signatures and the audit links must name the version's hash: rewriting content, JSON and hash together
    leaves them naming the old one."""
    from cop.audit.models import AuditEvent

    problems = [f"la signature de « {s.party.name} » porte l’empreinte {s.sha256[:12]}…, pas {version.sha256[:12]}…"
                for s in version.signatures if s.sha256 != version.sha256]
    events = db.session.scalars(db.select(AuditEvent).filter(
        AuditEvent.subject_type == "roadmap_version", AuditEvent.subject_id == version.id,
        AuditEvent.action.in_(("roadmap.adopted", "roadmap.signed"))).order_by(AuditEvent.seq))
    for event in events:
        recorded = json.loads(event.data).get("sha256")
        if recorded and recorded != version.sha256:
            problems.append(f"le maillon {event.seq} du journal ({event.action}) nomme l’empreinte {recorded[:12]}…, "
                            f"pas {version.sha256[:12]}…")
    return problems


def verify_all(conference_id: Optional[int] = None) -> tuple[int, list[Finding]]:
    """Check every frozen version (of one conference when given); return how many were checked and the findings."""
    query = db.select(RoadmapVersion).join(Roadmap).where(RoadmapVersion.state.in_(FROZEN_STATES))
    if conference_id is not None:
        query = query.where(Roadmap.conference_id == conference_id)
    checked, findings = 0, []
    for version in db.session.scalars(query.order_by(Roadmap.conference_id, RoadmapVersion.number)):
        checked += 1
        findings += [Finding(version, problem) for problem in check(version)]
    return checked, findings
