"""Short-lived signed tokens that let a logged-in page join one meeting's live room."""
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cop.errors import DomainError

SALT = "cop.live.meeting-room"


class TokenError(DomainError):
    """The token is missing, forged, expired or for another meeting."""

    status = 401

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    """The signer, with a salt used for nothing else."""
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def issue(secret_key: str, user_id: int, meeting_id: int, session: str) -> str:
    """A token naming the user, the meeting and the web session (the account's session nonce) it was issued to."""
    return _serializer(secret_key).dumps({"u": user_id, "m": meeting_id, "n": session})


def read(secret_key: str, token: object, meeting_id: int, max_age: int) -> tuple[int, str]:
    """(user id, session nonce) of a token that is genuine, fresh and for this meeting."""
    if not isinstance(token, str) or len(token) > 512:
        raise TokenError("bad_token", "Jeton de connexion invalide.")
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError("token_expired", "Jeton de connexion expiré : rechargez la page.") from None
    except BadSignature:
        raise TokenError("bad_token", "Jeton de connexion invalide.") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("n"), str):
        raise TokenError("bad_token", "Jeton de connexion invalide.")
    if data.get("m") != meeting_id:
        raise TokenError("wrong_meeting", "Ce jeton est celui d’une autre séance.")
    return data["u"], data["n"]


def session_ended() -> TokenError:
    """The refusal of a token (or a connection) whose web session was ended: logout, new password, revocation."""
    return TokenError("session_ended", "Votre session a pris fin (déconnexion, changement de mot de passe ou "
                                       "révocation) : reconnectez-vous.")
