"""The reveal job (`cop seal reveal-due`): warn the holders a week before, reveal at the date — projects,
commitments and sites alike. `run(now)` takes the clock, so tests and the demo drive it."""
from datetime import datetime

from cop.audit.services import record
from cop.db import db
from cop.notify import project_mail
from cop.rulebook.states import seal_reveal_due
from cop.seals import kinds, operations


def warn(obj, now: datetime) -> None:
    """Tell the holders, in their language, that the presidency will reveal the content at its date."""
    kind = kinds.of(obj)
    project_mail.reveal_planned(obj)
    obj.warned_dt = now
    record(f"{kind.code}.warned", kind.table, obj.id, conference_id=obj.conference_id,
           data={"kind": kind.code, "ref": kind.ref(obj), "seal": obj.seal_digest, "announce_on": obj.announce_on})


def run(now: datetime) -> tuple[list, list]:
    """Warn the holders whose date comes within the notice, reveal what is due: (warned, revealed)."""
    warned, revealed = [], []
    for obj in operations.hidden():
        if obj.warned_dt is None and now.date() >= obj.announce_on - operations.NOTICE:
            warn(obj, now)
            warned.append(obj)
        if seal_reveal_due(obj, now, operations.NOTICE):
            operations.publish(obj, None, now)
            revealed.append(obj)
    db.session.flush()
    return warned, revealed
