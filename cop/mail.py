"""Outgoing e-mail.

No SMTP server is configured yet, so `send` writes the whole message to the application log (at WARNING
level, so it shows in development consoles): invitation and password-reset links are read there. An SMTP
backend replaces the body of `send` and keeps its signature.
"""
from flask import current_app


def send(to: str, subject: str, body: str) -> None:
    """Deliver a plain-text message to one address (here: write it to the log).

    The body (which may hold a reset or invitation link) is logged only when COP_MAIL_LOG_BODY is on, which it is not
    by default in production: a link in a log file opens an account to whoever reads the logs.
    """
    if not current_app.config.get("COP_MAIL_LOG_BODY", False):
        current_app.logger.warning(
            "Courriel non envoyé (aucun serveur SMTP configuré) : « %s », contenu non journalisé.", subject)
        return
    current_app.logger.warning(
        "Courriel non envoyé (aucun serveur SMTP configuré), message journalisé.\nÀ : %s\nObjet : %s\n\n%s",
        to, subject, body,
    )
