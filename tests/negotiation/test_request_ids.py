"""A live command's request id: one JSON log line per command, and the same id in the audit record it writes."""
import logging

from cop.audit.models import AuditEvent
from cop.db import db
from tests.live.conftest import live, run  # noqa: F401  (live is a fixture)
from tests.negotiation.test_live import NEW, clean, join


def test_a_live_command_logs_one_line_and_its_id_reaches_the_audit(live, neg, caplog):
    caplog.set_level(logging.INFO, logger="cop.live.command")
    clean(neg)

    async def scenario():
        lyon = await join(live, neg, neg.u.lyon_delegate)
        ack = await lyon.command("amendment.table", {"paragraph_id": neg.p[1], "kind": "replace", "text": NEW,
                                                     "version": 1, "explanation": "Ambition."})
        refused = await lyon.command("amendment.integrate", {"amendment_id": 999999})
        await lyon.close()
        return ack, refused
    ack, refused = run(scenario())
    lines = [r for r in caplog.records if r.name == "cop.live.command"]
    assert [(r.command, r.outcome, r.seq) for r in lines] == [("amendment.table", "ack", ack["seq"]),
                                                              ("amendment.integrate", refused["code"], None)]
    assert lines[0].user_id == neg.u.lyon_delegate.id and lines[0].request_id != lines[1].request_id
    assert NEW not in caplog.text, "a command's arguments stay out of the log"
    db.session.expire_all()
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="amendment.tabled"))
    assert event.request_id == lines[0].request_id
