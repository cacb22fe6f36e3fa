"""A signed, long-lived cookie naming the accounts that logged in on this device: they are never locked out."""
import hashlib
from typing import Optional

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "cop_device"
SALT = "cop.auth.known-device"
MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _tag(email: str) -> str:
    """A short digest of the account's address (the cookie does not show it)."""
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:24]


def _accounts(request: Request) -> list[str]:
    """The account tags a genuine device cookie names."""
    raw: Optional[str] = request.cookies.get(COOKIE)
    if not raw or len(raw) > 1024:
        return []
    try:
        tags = _serializer().loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def is_known(request: Request, email: str) -> bool:
    """Whether this account logged in from this device before."""
    return _tag(email) in _accounts(request)


def remember(request: Request, response: Response, email: str) -> None:
    """After a successful login: remember the account on this device."""
    tags = [t for t in _accounts(request) if t != _tag(email)][-(MAX_ACCOUNTS - 1):] + [_tag(email)]
    response.set_cookie(COOKIE, _serializer().dumps(tags), max_age=MAX_AGE, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
