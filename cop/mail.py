"""Outgoing e-mail: `send` queues a message for the mail worker (cop/notify), which delivers it.

Callers send after their change is committed, so the message row is committed here on its own. While no SMTP
server is configured (development), the message is also written to the application log at WARNING level, as
before: invitation and password-reset links are read there, and the worker prints it again when it runs.
"""
from typing import Optional

from flask import current_app

from cop.db import db


def send(to: str, subject: str, body: str, key: Optional[str] = None, language: str = "fr") -> None:
    """Queue a plain-text message to one address; while no SMTP server is configured it is also logged, its body
    (which may hold a reset or invitation link) only where COP_MAIL_LOG_BODY allows — never by default in
    production: a link in a log file opens an account to whoever reads the logs."""
    from cop.notify import outbox

    outbox.enqueue(to, subject, body, key=key, language=language)
    db.session.commit()
    if current_app.config["COP_SMTP_HOST"]:
        return
    if not current_app.config.get("COP_MAIL_LOG_BODY", False):
        current_app.logger.warning(
            "Courriel non envoyé (aucun serveur SMTP configuré) : « %s », contenu non journalisé.", subject)
        return
    current_app.logger.warning(
        "Courriel non envoyé (aucun serveur SMTP configuré), message journalisé.\nÀ : %s\nObjet : %s\n\n%s",
        to, subject, body,
    )
