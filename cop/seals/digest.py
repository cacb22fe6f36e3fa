"""The seal: SHA-256 over the canonical JSON of the hidden content and a random salt.

What is hashed is `{"content": {...}, "salt": "<hex>"}` in canonical JSON (cop/canonical.py: sorted keys, no
spaces, UTF-8). The salt keeps a short content (a commune, a SIRET) from being found by trying candidates; the
digest, published while the object is sealed, binds its holder to the content revealed later.
"""
import hashlib
import hmac
import secrets

from cop import canonical

SALT_BYTES = 16


def sealed_text(salt: str, hidden: dict) -> str:
    """The exact text that is hashed (what the verify page shows, and recomputes in the browser)."""
    return canonical.dumps({"content": hidden, "salt": salt})


def digest(salt: str, hidden: dict) -> str:
    """The SHA-256 (hex) of the sealed text."""
    return hashlib.sha256(sealed_text(salt, hidden).encode("utf-8")).hexdigest()


def draw(obj, hidden: dict) -> None:
    """Draw a fresh salt and publish the digest of the hidden content."""
    obj.seal_salt = secrets.token_hex(SALT_BYTES)
    obj.seal_digest = digest(obj.seal_salt, hidden)


def matches(obj, hidden: dict) -> bool:
    """True when the hidden content, with the object's salt, hashes to its published seal."""
    if not obj.seal_salt or not obj.seal_digest:
        return False
    return hmac.compare_digest(digest(obj.seal_salt, hidden), obj.seal_digest)
