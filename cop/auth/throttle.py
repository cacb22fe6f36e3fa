"""Slow down password guessing and mail floods, across every worker and host: attempts are rows in the database.

Logins are counted per (account, address) pair, per address and per account. From an unknown device: 10 failures
of one pair or 50 of one address in 15 minutes refuse further attempts until the window slides; beyond 10 failures
of an account from everywhere, each further attempt waits a delay that doubles (2 s, 4 s… up to 15 minutes). From a
device the account logged in from before (a signed long-lived cookie, `device.py`), the account is never locked:
its pair's failures only impose the doubling delay (at most a minute), so an attacker elsewhere, or behind the same
proxy, cannot lock a user out. Password-reset requests: 5 per address and 3 per account in an hour.
"""
import hashlib
from datetime import datetime, timedelta, timezone
from typing import Optional

from cop.auth.models import ThrottleHit
from cop.db import db, utcnow

WINDOW = timedelta(minutes=15)
MAX_PER_PAIR = 10
MAX_PER_CLIENT = 50
ACCOUNT_FREE = 10
ACCOUNT_MAX_DELAY = 900
KNOWN_FREE = 5
KNOWN_MAX_DELAY = 60
RESET_WINDOW = timedelta(hours=1)
RESET_PER_CLIENT = 5
RESET_PER_ACCOUNT = 3


def _digest(key: str) -> str:
    """What is stored of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def _email(email: str) -> str:
    return (email or "").strip().lower()


def _hits(key: str, window: timedelta) -> tuple[int, Optional[datetime]]:
    """How many hits the key has in the window, and when the last one was."""
    count, last = db.session.execute(
        db.select(db.func.count(ThrottleHit.id), db.func.max(ThrottleHit.created_dt))
        .filter(ThrottleHit.key_hash == _digest(key), ThrottleHit.created_dt > utcnow() - window)).one()
    return count, (last if last is None or last.tzinfo else last.replace(tzinfo=timezone.utc))


def _wait_limit(key: str, limit: int, window: timedelta) -> int:
    """Seconds until the key is under its limit (0 when it is), the window sliding from its oldest counted hit."""
    if _hits(key, window)[0] < limit:
        return 0
    times = db.session.scalars(db.select(ThrottleHit.created_dt).filter(
        ThrottleHit.key_hash == _digest(key), ThrottleHit.created_dt > utcnow() - window)
        .order_by(ThrottleHit.created_dt.desc()).offset(limit - 1).limit(1)).all()
    oldest = times[0] if times[0].tzinfo else times[0].replace(tzinfo=timezone.utc)
    return max(1, int((oldest + window - utcnow()).total_seconds()) + 1)


def _wait_doubling(key: str, free: int, cap: int) -> int:
    """Seconds to wait after the key's last hit: 2^(hits - free), capped; 0 while hits <= free."""
    count, last = _hits(key, WINDOW)
    if count <= free or last is None:
        return 0
    delay = min(2 ** (count - free), cap)
    return max(0, int((last + timedelta(seconds=delay) - utcnow()).total_seconds()) + 1)


def login_keys(email: str, client: str) -> dict[str, str]:
    """The counters a login attempt is charged to."""
    email, client = _email(email), client or "?"
    return {"pair": f"login:{email}|{client}", "client": f"login-client:{client}", "account": f"login:{email}"}


def login_wait(email: str, client: str, known_device: bool) -> int:
    """Seconds before this attempt may be tried (0 when it may)."""
    keys = login_keys(email, client)
    if known_device:
        return _wait_doubling(keys["pair"], KNOWN_FREE, KNOWN_MAX_DELAY)
    return max(_wait_limit(keys["pair"], MAX_PER_PAIR, WINDOW), _wait_limit(keys["client"], MAX_PER_CLIENT, WINDOW),
               _wait_doubling(keys["account"], ACCOUNT_FREE, ACCOUNT_MAX_DELAY))


def add(*keys: str) -> None:
    """Count one hit on each key, and forget hits older than a day; the caller commits."""
    now = utcnow()
    db.session.execute(db.delete(ThrottleHit).where(ThrottleHit.created_dt < now - timedelta(days=1)))
    db.session.add_all([ThrottleHit(key_hash=_digest(key), created_dt=now) for key in keys])
    db.session.flush()


def login_failed(email: str, client: str) -> None:
    """Count a failed login against the pair, the address and the account."""
    add(*login_keys(email, client).values())


def login_succeeded(email: str, client: str) -> None:
    """A right password clears its pair's counter (the account's stays: other addresses were guessing)."""
    db.session.execute(db.delete(ThrottleHit).where(
        ThrottleHit.key_hash == _digest(login_keys(email, client)["pair"])))


def reset_client_wait(client: str) -> int:
    """Seconds before this address may ask for another reset link (0 when it may)."""
    return _wait_limit(f"reset-client:{client or '?'}", RESET_PER_CLIENT, RESET_WINDOW)


def reset_account_allowed(email: str) -> bool:
    """Whether one more link may be mailed to this address this hour."""
    return _hits(f"reset:{_email(email)}", RESET_WINDOW)[0] < RESET_PER_ACCOUNT


def reset_requested(email: str, client: str) -> None:
    """Count a reset request against the address and the account."""
    add(f"reset-client:{client or '?'}", f"reset:{_email(email)}")
