"""Anchoring the audit chain: its head is published (Atom feed, open data package) so that third parties keep copies,
and the database is checked against any earlier published head; accepted commitment versions are covered by the
hash of their figures in the chain."""
import hashlib
import json
import re
from datetime import timezone
from decimal import Decimal
from typing import Optional

from cop import canonical
from cop.audit.models import AuditEvent
from cop.db import db

URN = re.compile(r"urn:cop:audit:(\d+):([0-9a-f]{64})")


def as_head(event: AuditEvent) -> dict:
    """A link as a published head: position, hash, time."""
    moment = event.created_dt if event.created_dt.tzinfo else event.created_dt.replace(tzinfo=timezone.utc)
    return {"seq": event.seq, "sha256": event.hash, "at": moment.astimezone(timezone.utc).isoformat(timespec="seconds")}


def head() -> Optional[dict]:
    """The chain's last link as a published head, or None when the chain is empty."""
    event = db.session.scalar(db.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    return as_head(event) if event else None


def recent(count: int = 20) -> list[AuditEvent]:
    """The last links, newest first (the entries of the Atom feed)."""
    return db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(count)).all()


def urn(event: AuditEvent) -> str:
    """The Atom id of a published head: its position and hash, readable back by `read_heads`."""
    return f"urn:cop:audit:{event.seq}:{event.hash}"


def read_heads(text: str) -> list[tuple[int, str]]:
    """The (seq, hash) pairs an earlier publication holds: a head JSON, the open data package, or the Atom feed."""
    try:
        data = json.loads(text)
    except ValueError:
        return [(int(seq), digest) for seq, digest in URN.findall(text)]
    data = data.get("audit_head", data) if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("seq"), int) or not isinstance(data.get("sha256"), str):
        return []
    return [(data["seq"], data["sha256"])]


def check_against(heads: list[tuple[int, str]]) -> list[str]:
    """What differs between the database and published heads (links deleted, or rewritten and re-hashed)."""
    problems = []
    for seq, digest in heads:
        stored = db.session.scalar(db.select(AuditEvent.hash).filter_by(seq=seq))
        if stored is None:
            problems.append(f"le maillon {seq} publié n’existe plus : la fin de la chaîne a été supprimée")
        elif stored != digest:
            problems.append(f"le maillon {seq} ne porte plus l’empreinte publiée {digest[:12]}… : la chaîne a été "
                            "réécrite")
    return problems


def figures_sha256(version) -> str:
    """SHA-256 of the canonical figures of a commitment version's pledges."""
    rows = sorted([[p.indicator_id, p.reference_year, _amount(p.reference_value), p.target_year,
                    _amount(p.unconditional_value), _amount(p.conditional_value)] for p in version.pledges])
    return hashlib.sha256(canonical.dumps_bytes({"version": version.id, "pledges": rows})).hexdigest()


def _amount(value) -> str:
    """A stored amount, written the same way on every engine."""
    return f"{Decimal(value or 0):.2f}"


def check_figures() -> tuple[int, list[str], int]:
    """(versions checked, findings, accepted versions the chain does not cover) for every accepted version."""
    from cop.commitments.models import CommitmentVersion

    covered = {}
    for event in db.session.scalars(db.select(AuditEvent).filter_by(action="commitment.accepted",
                                                                     subject_type="commitment_version")):
        digest = json.loads(event.data).get("figures_sha256")
        if digest:
            covered[event.subject_id] = (event.seq, digest)
    checked, findings, uncovered = 0, [], 0
    for version in db.session.scalars(db.select(CommitmentVersion).filter_by(status="accepted")):
        if version.id not in covered:
            uncovered += 1
            continue
        checked += 1
        seq, digest = covered[version.id]
        if figures_sha256(version) != digest:
            findings.append(f"les chiffres de l’engagement {version.commitment_id}, version {version.number}, ne "
                            f"sont plus ceux que le maillon {seq} a scellés")
    return checked, findings, uncovered
