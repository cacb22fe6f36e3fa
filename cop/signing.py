"""Signing a frozen document — an adopted roadmap version or a contract — one way: the signatory re-enters their
password (counted by the login throttle), the rulebook answers, the hash they read is the document's, and the act
that authorises the signature is attached when the COP's rules of procedure require one."""
from typing import Callable, Optional

from cop.auth import throttle
from cop.auth.models import User
from cop.auth.passwords import check_password
from cop.errors import Conflict, Forbidden, Invalid, Throttled
from cop.roadmap import acts


class PasswordRefused(Forbidden):
    """The password re-entered to sign is not the signatory's."""


def reauthenticate(user: User, password: str, client: str = "?") -> None:
    """The signatory types their password again; failures count against the login throttle (the same counters),
    so the signing form is no way around it. Only throttle rows are written before a refusal."""
    wait = throttle.login_wait(user.email, client, known_device=False)
    if wait:
        raise Throttled("Trop de tentatives : réessayez dans %(n)s seconde(s).", n=wait)
    if not check_password(user.password_hash, password or ""):
        throttle.login_failed(user.email, client)
        raise PasswordRefused("Mot de passe incorrect : signer demande de confirmer votre identité.")


def attest(user: User, *, password: str, client: str, check: Callable[[], None], seen_sha256: str, sha256: str,
           act: Optional[acts.ActInput], act_required: bool, stale: Conflict) -> Optional[acts.ActInput]:
    """Everything a signature needs before it is written: the password first, then `check` (the rulebook and the
    document's state), then the hash read against the document's (`stale` when they differ), then the act —
    required when the rules say so — checked and cleaned. Returns the act to store, or None."""
    reauthenticate(user, password, client)
    check()
    if (seen_sha256 or "").strip().lower() != sha256:
        raise stale
    if act is None and act_required:
        raise Invalid("Le règlement intérieur de la COP exige l’acte qui autorise la signature : joignez la "
                      "délibération de votre assemblée ou la délégation de signature (PDF).")
    return acts.clean(act) if act is not None else None
