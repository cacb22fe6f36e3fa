"""The mail worker: claim due messages, send each, record the outcome; loop until stopped."""
import signal
import time

from flask import current_app

from cop.db import db, utcnow
from cop.notify import digest, outbox, progress_mail
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


def tick(now=None) -> dict[str, int]:
    """The daily jobs, idempotent whenever they run: the digests due, the progress reports due."""
    now = now or utcnow()
    counts = digest.run(now)
    counts["reminders"] = progress_mail.remind(now)
    db.session.commit()
    return counts


def _tick_logged() -> None:
    """The daily jobs; a failure is logged and tried again at the next check, the queue keeps being sent."""
    try:
        tick()
    except Exception:  # noqa: BLE001 — the next check tries again; sending must go on
        db.session.rollback()
        current_app.logger.exception("daily mail jobs failed")


def run(stop_after: float | None = None) -> None:
    """Loop until SIGTERM/SIGINT (or for `stop_after` seconds), one pass every COP_MAIL_POLL_SECONDS."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    backend = backend_for(current_app.config)
    started, last_tick = time.monotonic(), None
    while not stopping and (stop_after is None or time.monotonic() - started < stop_after):
        try:
            if last_tick is None or time.monotonic() - last_tick >= current_app.config["COP_MAIL_DAILY_SECONDS"]:
                last_tick = time.monotonic()
                _tick_logged()
            run_once(backend)
        except KeyboardInterrupt:
            break
        finally:
            db.session.remove()
        time.sleep(current_app.config["COP_MAIL_POLL_SECONDS"])
