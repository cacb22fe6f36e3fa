"""Outgoing e-mail.

No SMTP server is configured yet, so `send` writes the whole message to the application log (at WARNING
level, so it shows in development consoles): invitation and password-reset links are read there. An SMTP
backend replaces the body of `send` and keeps its signature.
"""
from flask import current_app


def send(to: str, subject: str, body: str) -> None:
    """Deliver a plain-text message to one address (here: write it to the log)."""
    current_app.logger.warning(
        "Courriel non envoyé (aucun serveur SMTP configuré), message journalisé.\nÀ : %s\nObjet : %s\n\n%s",
        to, subject, body,
    )
