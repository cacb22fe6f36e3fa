"""What a contract says, frozen: built from the territory's counted commitment in the filière and the support its
funders granted; canonical JSON and SHA-256 (`cop/canonical.py`), checked again by `cop contract verify`.

A pledge line that names a sealed project carries its reference only (number, seal, no name): the contract is
public once generated, and a sealed project's content must not reach it (`cop/projects/queries.reference`); a sealed
commitment's texts and support purposes are already emptied in their columns (cop/commitments/sealing.py), so the
contract carries its figures, funders and amounts, and its seal.
"""
import hashlib
import json
from datetime import datetime, timezone
from typing import Optional

from cop import canonical


def utc_text(moment: Optional[datetime]) -> Optional[str]:
    """A stored datetime as UTC text to the second (SQLite gives naive datetimes back, PostgreSQL aware ones)."""
    if moment is None:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def published(contract) -> dict:
    """What is hashed: the contract's identity, its generation and its content (pledges, support, milestones)."""
    return {"contract": contract.number, "conference": contract.conference_id,
            "generated_at": utc_text(contract.generated_dt), "content": contract.content}


def freeze(contract) -> None:
    """Store the canonical JSON and its SHA-256 (once, when generated)."""
    contract.canonical_json = canonical.dumps(published(contract))
    contract.sha256 = hashlib.sha256(contract.canonical_json.encode("utf-8")).hexdigest()


def problems(contract) -> list[str]:
    """What no longer holds: the stored JSON against its hash, the rows against the stored JSON."""
    found = []
    stored = contract.canonical_json or ""
    if hashlib.sha256(stored.encode("utf-8")).hexdigest() != contract.sha256:
        found.append("le JSON canonique enregistré n’a plus l’empreinte publiée")
    if canonical.dumps(published(contract)) != stored:
        found.append("le contenu enregistré ne redonne plus le JSON canonique")
    milestones = [milestone_of(m.position, m.label, m.due_on, m.amount) for m in contract.milestones]
    if canonical.dumps(milestones) != canonical.dumps(json.loads(stored or "{}").get("content", {})
                                                      .get("milestones", [])):
        found.append("les jalons enregistrés ne sont plus ceux du document signé")
    for signature in contract.signatures:
        if signature.sha256 != contract.sha256:
            found.append(f"la signature de la partie {signature.party_id} porte une autre empreinte")
    return found


def json_bytes(contract) -> bytes:
    """The download: exactly the bytes whose SHA-256 is published."""
    return contract.canonical_json.encode("utf-8")


def milestone_of(position: int, label: str, due_on, amount) -> dict:
    """A milestone as the document holds it."""
    return {"position": position, "label": label, "due_on": due_on, "amount": amount}


def plain(data) -> dict:
    """Data as the JSON column stores it: the canonical values (numbers fixed, dates as text)."""
    return json.loads(canonical.dumps(data))
