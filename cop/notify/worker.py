"""The mail worker: claim due messages, send each, record the outcome; loop until stopped."""
import signal
import time

from flask import current_app

from cop.db import db, utcnow
from cop.notify import outbox
from cop.notify.backends import backend_for, build


def run_once(backend=None) -> dict[str, int]:
    """Send what is due now; returns how many were sent and failed."""
    backend = backend or backend_for(current_app.config)
    counts = {"sent": 0, "failed": 0}
    for message_id in outbox.due_ids(utcnow()):
        message = outbox.claim(message_id, utcnow())
        if message is None:
            continue
        try:
            backend.send(build(message, current_app.config["COP_MAIL_FROM"]))
        except Exception as error:  # noqa: BLE001 — any failure of the server is retried later
            db.session.rollback()
            outbox.mark_failed(db.session.get(type(message), message_id), f"{type(error).__name__}: {error}")
            counts["failed"] += 1
            continue
        outbox.mark_sent(message)
        counts["sent"] += 1
    return counts


def run(stop_after: float | None = None) -> None:
    """Loop until SIGTERM/SIGINT (or for `stop_after` seconds), one pass every COP_MAIL_POLL_SECONDS."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    backend = backend_for(current_app.config)
    started = time.monotonic()
    while not stopping and (stop_after is None or time.monotonic() - started < stop_after):
        try:
            run_once(backend)
        except KeyboardInterrupt:
            break
        finally:
            db.session.remove()
        time.sleep(current_app.config["COP_MAIL_POLL_SECONDS"])
