"""The seal of a confidential project: SHA-256 over the canonical JSON of its hidden content and a random salt.

What is hashed is `{"content": {...}, "salt": "<hex>"}` in canonical JSON (cop/canonical.py: sorted keys, no
spaces, UTF-8). The salt keeps a short content (a commune, a SIRET) from being found by trying candidates; the
digest, published while the project is sealed, binds the party to the content it reveals later.
"""
import hashlib
import hmac
import secrets

from cop import canonical

SALT_BYTES = 16


def content(project) -> dict:
    """The hidden part of a project: name, SIRET, commune (INSEE code and name) and description."""
    commune = project.commune
    return {"name": project.name, "siret": project.siret or "",
            "commune": {"code": commune.code, "name": commune.name} if commune is not None else None,
            "description": project.description or ""}


def sealed_text(salt: str, hidden: dict) -> str:
    """The exact text that is hashed (what the verify page shows, and recomputes in the browser)."""
    return canonical.dumps({"content": hidden, "salt": salt})


def digest(salt: str, hidden: dict) -> str:
    """The SHA-256 (hex) of the sealed text."""
    return hashlib.sha256(sealed_text(salt, hidden).encode("utf-8")).hexdigest()


def seal(project) -> None:
    """Draw a fresh salt and publish the digest of the project's hidden content."""
    project.seal_salt = secrets.token_hex(SALT_BYTES)
    project.seal_digest = digest(project.seal_salt, content(project))


def matches(project) -> bool:
    """True when the project's content, with its salt, still hashes to its published seal."""
    if not project.seal_salt or not project.seal_digest:
        return False
    return hmac.compare_digest(digest(project.seal_salt, content(project)), project.seal_digest)
