"""The one way a message to an account is written: in the person's language, as they chose (at once, held for
their digest, or not at all when they unsubscribed and it is not mandatory), with the unsubscribe link and headers
of every message that is not mandatory."""
from typing import Callable, Iterable, Optional

from flask import render_template
from flask_babel import force_locale

from cop.auth.models import User
from cop.db import db
from cop.notify.links import link
from cop.notify.models import Delivery, MailMode, OutboxMessage
from cop.notify.outbox import enqueue_all, message_values, queued, queued_keys
from cop.notify.preferences import MANDATORY, MailKind, token


def notify(user: User, kind: MailKind, key: str, subject: Callable[[], str], template: str,
           calendar: Optional[str] = None, **context) -> Optional[OutboxMessage]:
    """Queue one message to one account in the caller's transaction; None when the person receives none."""
    if queued(key):
        return None
    values = _compose(user, kind, key, subject, template, calendar, context)
    if values is None:
        return None
    message = OutboxMessage(**values)
    db.session.add(message)
    db.session.flush()
    return message


def notify_each(users: Iterable[User], kind: MailKind, key_of: Callable[[User], str], subject: Callable[[], str],
                template: str, calendar: Optional[str] = None, **context) -> int:
    """Queue one message to each of these accounts (a COP's delegations when a vote opens…) in the caller's
    transaction, as `notify` would one by one, but with one read of the keys already queued and one write: a live
    command that tells 166 delegations no longer makes 332 round trips to the database inside its transaction.
    Returns how many messages were queued."""
    keyed = {key_of(user): user for user in users}
    done = queued_keys(list(keyed))
    messages = [values for key, user in keyed.items() if key not in done
                for values in [_compose(user, kind, key, subject, template, calendar, context)] if values is not None]
    enqueue_all(messages)
    return len(messages)


def _compose(user: User, kind: MailKind, key: str, subject: Callable[[], str], template: str,
             calendar: Optional[str], context: dict) -> Optional[dict]:
    """The message to one account (its columns), in their language and with their delivery, or None when they
    receive none."""
    mandatory = kind in MANDATORY
    if user.is_disabled or (not mandatory and user.unsubscribed_dt is not None):
        return None
    unsubscribe = None if mandatory else link("notify.unsubscribe", token=token(user))
    with force_locale(user.language):
        title = subject()
        body = render_template(template, user=user, **context)
        body += "\n" + render_template("mail/footer.txt", mandatory=mandatory, unsubscribe=unsubscribe,
                                account=link("auth.account", _anchor="courriels"))
    held = not mandatory and kind != MailKind.DIGEST and user.mail_mode == MailMode.DIGEST
    return message_values(user.email, title, body, key, language=user.language, calendar=calendar, user_id=user.id,
                       delivery=Delivery.DIGEST if held else Delivery.IMMEDIATE, unsubscribe_url=unsubscribe)
