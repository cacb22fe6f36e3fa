"""E-mail through a real SMTP server (aiosmtpd): content, language, links, retries, and a worker killed mid-send."""
import email
import os
import re
import signal
import subprocess
import sys
import threading
import time
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from cop.commitments import submission
from cop.db import db, utcnow
from cop.notify import worker
from cop.notify.backends import message_id
from cop.notify.models import OutboxMessage
from tests.commitment_helpers import build_world, draft_input, file
from tests.live.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]


class Inbox:
    """An aiosmtpd handler keeping every message; `slow` seconds of delay before answering each."""

    def __init__(self):
        self.messages, self.slow, self.receiving = [], 0.0, threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.receiving.set()
        if self.slow:
            time.sleep(self.slow)    # holds the client: the sender is killed while it waits for "250"
        return "250 Message accepted for delivery"

    def by_to(self, address):
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free port; the app sends to it without TLS."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config[k] for k in ("COP_SMTP_HOST", "COP_SMTP_PORT", "COP_SMTP_SECURITY")}
    app.config.update(COP_SMTP_HOST="127.0.0.1", COP_SMTP_PORT=port, COP_SMTP_SECURITY="none")
    inbox.port, inbox.controller = port, controller
    yield inbox
    inbox.controller.stop()
    app.config.update(saved)


@pytest.fixture
def world(make):
    w = build_world(make)
    w.head_b.language = "en"
    db.session.commit()
    return w


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _path(text: str) -> str:
    return re.search(r"http://[^/\s]+(/\S+)", text).group(1)


def test_versions_received_returned_accepted_in_each_recipients_language(world, smtp, client, auth):
    commitment = file(world, world.a, "automobile", draft_input("100"), accept=False)
    other = file(world, world.b, "bois", draft_input("5"), accept=False)
    submission.review(world.presidency, commitment.versions[-1], False, "Précisez la méthode.")
    submission.review(world.presidency, other.versions[-1], True, "")
    db.session.commit()
    assert worker.run_once() == {"sent": 6, "failed": 0}
    french = {m["Subject"] for m in smtp.by_to("chef.a@example.fr")}
    assert french == {"Version 1 de « Automobile » reçue", "Version 1 de « Automobile » renvoyée à la partie"}
    assert {m["Subject"] for m in smtp.by_to("delegue.a@example.fr")} == french     # a delegate who files
    assert not smtp.by_to("assistant.a@example.fr")                                # one who does not
    english = {m["Subject"]: _text(m) for m in smtp.by_to("chef.b@example.fr")}
    assert set(english) == {"Version 1 of “Wood” received", "Version 1 of “Wood” accepted"}
    assert "The presidency accepted version 1" in english["Version 1 of “Wood” accepted"]
    returned = next(m for m in smtp.by_to("chef.a@example.fr") if "renvoyée" in m["Subject"])
    assert returned["Content-Language"] == "fr" and "Précisez la méthode." in _text(returned)
    auth.login("chef.a@example.fr")
    assert client.get(_path(_text(returned))).status_code == 200
    assert worker.run_once() == {"sent": 0, "failed": 0}                               # sent once


def test_invitation_and_password_reset_go_through_smtp_with_working_links(world, smtp, client, auth):
    auth.login("presidence@example.fr")
    client.post(f"/cop/{world.conference.id}/parties/{world.b.id}/delegation/invitations",
                data={"email": "nouvelle@example.fr", "role": "delegate"})
    auth.logout()
    client.post("/auth/mot-de-passe-oublie", data={"email": "chef.a@example.fr"}).close()  # sent after the answer
    worker.run_once()
    invitation = smtp.by_to("nouvelle@example.fr")[0]
    assert "Invitation" in invitation["Subject"]
    assert client.get(_path(_text(invitation))).status_code == 200
    reset = smtp.by_to("chef.a@example.fr")[0]
    assert client.get(_path(_text(reset))).status_code == 200


def test_a_server_down_is_retried_with_back_off(world, smtp):
    file(world, world.a, "automobile", draft_input("100"), accept=False)
    db.session.commit()
    smtp.controller.stop()
    assert worker.run_once() == {"sent": 0, "failed": 2}
    row = db.session.scalars(db.select(OutboxMessage)).first()
    assert row.attempts == 1 and row.sent_dt is None and row.last_error
    assert worker.run_once() == {"sent": 0, "failed": 0}              # not due before its back-off
    smtp.controller = Controller(smtp, hostname="127.0.0.1", port=smtp.port)    # the server is back
    smtp.controller.start()
    db.session.execute(db.update(OutboxMessage).values(next_attempt_dt=utcnow()))
    db.session.commit()
    assert worker.run_once() == {"sent": 2, "failed": 0}


def _worker(app, smtp) -> subprocess.Popen:
    """`flask --app wsgi cop mail-worker` on the test database and the test SMTP server."""
    env = dict(os.environ, COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY=app.config["SECRET_KEY"],
               COP_SMTP_HOST="127.0.0.1", COP_SMTP_PORT=str(smtp.port), COP_SMTP_SECURITY="none",
               COP_MAIL_POLL_SECONDS="0.2", COP_MAIL_LEASE_SECONDS="2")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "cop", "mail-worker"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _all_sent() -> bool:
    """Every queued message is recorded as sent (read afresh)."""
    db.session.expire_all()
    return all(m.sent_dt is not None for m in db.session.scalars(db.select(OutboxMessage)))


def test_the_queue_survives_a_worker_killed_mid_send(app, world, smtp):
    file(world, world.a, "automobile", draft_input("100"), accept=False)
    file(world, world.b, "bois", draft_input("5"), accept=False)
    db.session.commit()
    keys = {message_id(m) for m in db.session.scalars(db.select(OutboxMessage))}
    assert len(keys) == 3
    smtp.slow = 5.0
    first = _worker(app, smtp)
    assert smtp.receiving.wait(30), first.stderr.read().decode()[-2000:]
    first.send_signal(signal.SIGKILL)                  # kill -9 while the server holds the first message
    first.wait(10)
    smtp.slow = 0.0
    second = _worker(app, smtp)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _all_sent():   # received and recorded as sent
        time.sleep(0.2)
    second.terminate()
    second.wait(10)
    received = [m["Message-ID"] for m in smtp.messages]
    assert set(received) == keys                       # nothing lost
    assert len(received) <= len(keys) + 1              # at most the one in flight twice, with the same Message-ID
    db.session.expire_all()
    assert all(m.sent_dt is not None for m in db.session.scalars(db.select(OutboxMessage)))


def test_a_meeting_convened_reaches_every_member_with_its_calendar(world, smtp, client, auth):
    from datetime import datetime, timedelta, timezone

    from cop.meetings import services as meetings

    starts = datetime(2027, 3, 4, 9, 30, tzinfo=timezone.utc)
    meeting = meetings.schedule_meeting(world.presidency, world.conference, kind="plenary",
                                        title="Plénière, d’ouverture",
                                        starts_dt=starts, chair=world.presidency, place="Hôtel de Région")
    db.session.commit()
    assert worker.run_once()["sent"] == 6
    french = smtp.by_to("chef.a@example.fr")[0]
    assert french["Subject"] == "Convocation : Plénière, d’ouverture" and "Hôtel de Région" in _text(french)
    calendar = next(part for part in french.iter_attachments() if part.get_content_type() == "text/calendar")
    ics = calendar.get_content()
    assert "BEGIN:VEVENT" in ics and f"UID:meeting-{meeting.id}@" in ics and "DTSTART:20270304T093000Z" in ics
    assert "SUMMARY:Plénière\\, d’ouverture" in ics
    english = smtp.by_to("chef.b@example.fr")[0]
    assert english["Subject"] == "Notice of meeting: Plénière, d’ouverture" and "Hôtel de Région" in _text(english)
    auth.login("chef.a@example.fr")
    assert client.get(_path(_text(french))).status_code == 200
    assert "DTEND:20270304T123000Z" in ics and starts + timedelta(hours=3) == datetime(2027, 3, 4, 12, 30,
                                                                                       tzinfo=timezone.utc)
