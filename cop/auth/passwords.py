"""Argon2id password hashing, with costs from the config."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

# Verified against when the e-mail is unknown, so both failures cost the same time.
_DUMMY_PASSWORD = "cop-dummy-password"


def _hasher() -> PasswordHasher:
    """A hasher with the configured time and memory cost."""
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unusable hash never matches."""
    hasher = _hasher()
    if not password_hash:
        hasher.verify(hasher.hash(_DUMMY_PASSWORD), _DUMMY_PASSWORD)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
