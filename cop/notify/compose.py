"""The one way a message to an account is written: in the person's language, as they chose (at once, held for
their digest, or not at all when they unsubscribed and it is not mandatory), with the unsubscribe link and headers
of every message that is not mandatory."""
from typing import Callable, Optional

from flask import render_template
from flask_babel import force_locale

from cop.auth.models import User
from cop.notify.links import link
from cop.notify.models import Delivery, MailMode, OutboxMessage
from cop.notify.outbox import enqueue, queued
from cop.notify.preferences import MANDATORY, MailKind, token


def notify(user: User, kind: MailKind, key: str, subject: Callable[[], str], template: str,
           calendar: Optional[str] = None, **context) -> Optional[OutboxMessage]:
    """Queue one message to one account in the caller's transaction; None when the person receives none."""
    mandatory = kind in MANDATORY
    if queued(key):
        return None
    if user.is_disabled or (not mandatory and user.unsubscribed_dt is not None):
        return None
    unsubscribe = None if mandatory else link("notify.unsubscribe", token=token(user))
    with force_locale(user.language):
        title = subject()
        body = render_template(template, user=user, **context)
        body += "\n" + render_template("mail/footer.txt", mandatory=mandatory, unsubscribe=unsubscribe,
                                account=link("auth.account", _anchor="courriels"))
    held = not mandatory and kind != MailKind.DIGEST and user.mail_mode == MailMode.DIGEST
    return enqueue(user.email, title, body, key=key, language=user.language, calendar=calendar, user_id=user.id,
                   delivery=Delivery.DIGEST if held else Delivery.IMMEDIATE, unsubscribe_url=unsubscribe)
