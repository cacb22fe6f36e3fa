"""Handing a message over: to an SMTP server, or to the console in development."""
import hashlib
import smtplib
import sys
from email.message import EmailMessage
from email.utils import format_datetime

from cop.db import utcnow
from cop.notify.models import OutboxMessage


def message_id(message: OutboxMessage, domain: str = "cop.localhost") -> str:
    """The same Message-ID for every try of the same message (its idempotency key, hashed)."""
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def build(message: OutboxMessage, sender: str) -> EmailMessage:
    """The MIME message: plain text in the recipient's language, with the calendar attached if any."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, message.to_address, message.subject
    mail["Date"] = format_datetime(utcnow())
    mail["Message-ID"] = message_id(message, sender.rsplit("@", 1)[-1].strip(">") or "cop.localhost")
    if message.unsubscribe_url:     # RFC 2369 and RFC 8058: the mail client's one-click unsubscribe, by POST
        mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(message.body)
    if message.calendar:
        mail.add_attachment(message.calendar, subtype="calendar", charset="utf-8", filename="seance.ics",
                            params={"method": "REQUEST"})
    mail["Content-Language"] = message.language    # after the content, which resets content headers
    return mail


class SmtpBackend:
    """Deliver through the configured SMTP server (STARTTLS, SSL or plain, with or without login)."""

    def __init__(self, config):
        self.config = config

    def send(self, mail: EmailMessage) -> None:
        """Hand one message to the server; raises on any refusal or network error."""
        c = self.config
        factory = smtplib.SMTP_SSL if c["COP_SMTP_SECURITY"] == "ssl" else smtplib.SMTP
        with factory(c["COP_SMTP_HOST"], c["COP_SMTP_PORT"], timeout=c["COP_SMTP_TIMEOUT"]) as server:
            if c["COP_SMTP_SECURITY"] == "starttls":
                server.starttls()
            if c["COP_SMTP_USER"]:
                server.login(c["COP_SMTP_USER"], c["COP_SMTP_PASSWORD"])
            server.send_message(mail)


class ConsoleBackend:
    """Development: print the message on the worker's standard output — its body (links included) only where
    COP_MAIL_LOG_BODY allows, never by default in production."""

    def __init__(self, with_body: bool = True):
        self.with_body = with_body

    def send(self, mail: EmailMessage) -> None:
        """Print it, headers and (where allowed) body."""
        if self.with_body:
            print(mail.as_string(), file=sys.stdout, flush=True)
            return
        print(f"Message-ID: {mail['Message-ID']}\nTo: {mail['To']}\nSubject: {mail['Subject']}\n"
              "(contenu non journalisé : COP_MAIL_LOG_BODY)", file=sys.stdout, flush=True)


def backend_for(config):
    """SMTP when a host is configured, the console otherwise."""
    if config["COP_SMTP_HOST"]:
        return SmtpBackend(config)
    return ConsoleBackend(with_body=config.get("COP_MAIL_LOG_BODY", False))
