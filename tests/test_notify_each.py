"""One notice to many accounts (a vote opened, told to every delegation): the same messages as one `notify` per
account — language, digest, unsubscribed and disabled accounts, keys queued once — written with a bounded number of
statements, so a live command that tells 166 delegations does not hold its transaction for 332 round trips."""
from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import event

from cop.db import db
from cop.notify.compose import notify, notify_each
from cop.notify.models import Delivery, MailMode, OutboxMessage
from cop.notify.preferences import MailKind


def _accounts(make, n: int):
    users = [make.user(email=f"delegue{i:03d}@example.fr", name=f"Délégué {i}") for i in range(n)]
    users[1].language = "en"
    users[2].mail_mode = MailMode.DIGEST
    users[3].unsubscribed_dt = datetime.now(timezone.utc)
    users[4].is_disabled = True
    db.session.flush()
    return users


def _send(users, one_by_one: bool, prefix: str):
    subject = lambda: _("Convocation : %(title)s", title="Plénière")  # noqa: E731
    context = {"mandatory": False, "unsubscribe": "http://127.0.0.1:5000/desabonnement/x", "account": "compte"}
    if one_by_one:
        for user in users:
            notify(user, MailKind.MEETING_CONVENED, f"{prefix}:{user.id}", subject, "mail/footer.txt", **context)
    else:
        notify_each(users, MailKind.MEETING_CONVENED, lambda user: f"{prefix}:{user.id}", subject,
                    "mail/footer.txt", **context)


def _rows(prefix: str) -> list[tuple]:
    rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.key.startswith(prefix + ":"))
                              .order_by(OutboxMessage.user_id))
    return [(m.user_id, m.to_address, m.subject, m.body, m.language, m.delivery, m.unsubscribe_url) for m in rows]


def test_the_same_messages_as_one_notify_per_account(app, make):
    users = _accounts(make, 12)
    with app.test_request_context():
        _send(users, True, "one")
        _send(users, False, "each")
    one, each = _rows("one"), _rows("each")
    assert one == each
    assert len(each) == 10                                               # not the unsubscribed, not the disabled
    by_address = {row[1]: row for row in each}
    assert by_address["delegue001@example.fr"][2] == "Notice of meeting: Plénière"
    assert by_address["delegue001@example.fr"][4] == "en"
    assert by_address["delegue000@example.fr"][2] == "Convocation : Plénière"
    assert by_address["delegue002@example.fr"][5] == Delivery.DIGEST
    assert "delegue003@example.fr" not in by_address and "delegue004@example.fr" not in by_address


def test_keys_already_queued_are_not_queued_again_and_statements_stay_bounded(app, make):
    users = _accounts(make, 60)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.test_request_context():
        notify_each(users[:20], MailKind.DECISION_OPENED, lambda user: f"bulk:{user.id}",
                    lambda: "Vote ouvert", "mail/footer.txt", mandatory=True, unsubscribe=None, account="compte")
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            queued = notify_each(users, MailKind.DECISION_OPENED, lambda user: f"bulk:{user.id}",
                                 lambda: "Vote ouvert", "mail/footer.txt", mandatory=True, unsubscribe=None,
                                 account="compte")
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    keys = list(db.session.scalars(db.select(OutboxMessage.key).where(OutboxMessage.key.startswith("bulk:"))))
    assert len(keys) == len(set(keys)) == 58                             # 60 accounts, less unsubscribed/disabled
    assert queued == 40                                             # the first 20 were queued already
    writes = [s for s in statements if "outbox_message" in s]
    assert len(writes) <= 3, writes                                      # one read of the keys, one insert
