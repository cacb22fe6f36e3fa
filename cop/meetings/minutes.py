"""The meeting's record, generated from its journal: what happened, in French, and who spoke how long."""
from datetime import datetime

from cop.db import db
from cop.meetings.models import Meeting, MeetingEvent
from cop.meetings.rules import aware


def _speaker(data: dict) -> str:
    """Who a floor event is about."""
    request = data.get("request") or {}
    return request.get("party") or request.get("user") or "?"


def _minutes_seconds(seconds: float) -> str:
    """Seconds as « 2 min 05 s »."""
    seconds = int(round(seconds or 0))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


SENTENCES = {
    "meeting.opened": lambda d: "La séance est ouverte.",
    "meeting.suspended": lambda d: "La séance est suspendue.",
    "meeting.resumed": lambda d: "La séance reprend.",
    "meeting.closed": lambda d: "La séance est levée.",
    "item.opened": lambda d: f"Ouverture du point {d.get('position')} : {d.get('title')}.",
    "floor.requested": lambda d: ("Motion d’ordre de " if (d.get("request") or {}).get("kind") == "point_of_order"
                                  else "Demande de parole de ") + _speaker(d) + ".",
    "floor.withdrawn": lambda d: "Une demande de parole est retirée.",
    "floor.removed": lambda d: "La présidence retire une demande de parole de la liste.",
    "floor.invited": lambda d: f"La présidence invite {_speaker(d)} (observateur) à prendre la parole.",
    "floor.given": lambda d: f"La parole est donnée à {_speaker(d)}.",
    "floor.ended": lambda d: "Fin de l’intervention "
                             f"({_minutes_seconds((d.get('ended') or {}).get('spoken_seconds'))}).",
    "timer.started": lambda d: "Le chronomètre est lancé.",
    "timer.stopped": lambda d: "Le chronomètre est arrêté.",
}


def describe(event: MeetingEvent) -> str:
    """One journal entry as a sentence of the record."""
    sentence = SENTENCES.get(event.name)
    return sentence(event.data or {}) if sentence else event.name


def record(meeting: Meeting) -> list[tuple[int, datetime, str, str]]:
    """(seq, time, sentence, actor name) for every event of the meeting."""
    events = db.session.scalars(
        db.select(MeetingEvent).filter_by(meeting_id=meeting.id).order_by(MeetingEvent.seq)).all()
    return [(e.seq, aware(e.created_dt), describe(e), e.actor.name if e.actor else "") for e in events]


def interventions(meeting: Meeting) -> list[dict]:
    """Who spoke, on which item, and how long, in order."""
    from cop.meetings.models import FloorRequest
    from cop.meetings.rules import elapsed
    from cop.db import utcnow

    now = utcnow()
    rows = db.session.scalars(db.select(FloorRequest).filter(
        FloorRequest.meeting_id == meeting.id, FloorRequest.started_dt.is_not(None)).order_by(FloorRequest.started_dt))
    items = {i.id: i for i in meeting.items}
    return [{"speaker": r.party.name if r.party else f"{r.user.name} (observateur)", "user": r.user.name,
             "kind": r.kind, "item": items.get(r.item_id), "started": aware(r.started_dt),
             "seconds": elapsed(r, now)} for r in rows]


def speaking_totals(meeting: Meeting) -> list[tuple[str, float, int]]:
    """(delegation, seconds, number of interventions), most speaking time first."""
    totals: dict[str, list] = {}
    for row in interventions(meeting):
        entry = totals.setdefault(row["speaker"], [0.0, 0])
        entry[0] += row["seconds"]
        entry[1] += 1
    return sorted(((name, round(s, 1), n) for name, (s, n) in totals.items()), key=lambda t: -t[1])
