"""The meeting's record, generated from its journal: what happened, in the reader's language, and who spoke how
long. The same sentences are the live pages' announcements."""
from datetime import datetime
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from cop.db import db
from cop.filters import duration
from cop.meetings.models import Meeting, MeetingEvent
from cop.meetings.rules import aware


def _speaker(data: dict) -> str:
    """Who a floor event is about: the party, and the person speaking for it."""
    request = data.get("request") or {}
    if request.get("party"):
        return f"{request['party']} ({request.get('user')})"
    return request.get("user") or "?"


def _floor_requested(d: dict) -> str:
    """A request for the floor, or a point of order."""
    if (d.get("request") or {}).get("kind") == "point_of_order":
        return _("Motion d’ordre de %(who)s.", who=_speaker(d))
    return _("Demande de parole de %(who)s.", who=_speaker(d))


#: One sentence per event, in the reader's language (the negotiation adds its own).
SENTENCES = {
    "meeting.opened": lambda d: _("La séance est ouverte."),
    "meeting.suspended": lambda d: _("La séance est suspendue."),
    "meeting.resumed": lambda d: _("La séance reprend."),
    "meeting.closed": lambda d: _("La séance est levée."),
    "item.opened": lambda d: _("Point %(n)s ouvert : %(title)s.", n=d.get("position"), title=d.get("title")),
    "floor.requested": _floor_requested,
    "floor.withdrawn": lambda d: _("Une demande de parole est retirée."),
    "floor.removed": lambda d: _("La présidence retire une demande de parole de la liste."),
    "floor.invited": lambda d: _("La présidence invite %(who)s (observateur) à prendre la parole.", who=_speaker(d)),
    "floor.given": lambda d: _("La parole est à %(who)s.", who=_speaker(d)),
    "floor.ended": lambda d: _("Fin de l’intervention (%(t)s).",
                               t=duration((d.get("ended") or {}).get("spoken_seconds"))),
    "timer.started": lambda d: _("Le chronomètre est lancé."),
    "timer.stopped": lambda d: _("Le chronomètre est arrêté."),
    "rollcall.recorded": lambda d: _("Appel des délégations : %(count)s présente(s) sur %(accredited)s accréditée(s).",
                                     count=d.get("count"), accredited=d.get("accredited")),
}


def describe(event: MeetingEvent) -> str:
    """One journal entry as a sentence of the record."""
    sentence = SENTENCES.get(event.name)
    return sentence(event.data or {}) if sentence else event.name


def record(meeting: Meeting, since: int = 0, upto: Optional[int] = None) -> list[tuple[int, datetime, str, str]]:
    """(seq, time, sentence, actor name) for the events of the meeting (since < seq ≤ upto)."""
    query = db.select(MeetingEvent).filter(MeetingEvent.meeting_id == meeting.id, MeetingEvent.seq > since)
    if upto is not None:
        query = query.filter(MeetingEvent.seq <= upto)
    events = db.session.scalars(query.options(selectinload(MeetingEvent.actor)).order_by(MeetingEvent.seq)).all()
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
    return [{"speaker": r.party.name if r.party else _("%(name)s (observateur)", name=r.user.name), "user": r.user.name,
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
