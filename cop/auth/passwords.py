"""Argon2id password hashing, with costs from the config."""
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

# Verified against when the e-mail is unknown, so both failures cost one verification.
_DUMMY_PASSWORD = "cop-dummy-password"


def _hasher() -> PasswordHasher:
    """A hasher with the configured time and memory cost."""
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"])


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    """A hash with the configured costs, computed once, to verify against when there is no account."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost).hash(_DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unusable hash never matches but costs the same time."""
    hasher = _hasher()
    if not password_hash:
        cfg = current_app.config
        _verify(hasher, _dummy_hash(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"]), password)
        return False
    return _verify(hasher, password_hash, password)


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    """One argon2 verification; any failure is a mismatch."""
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
