"""The negotiation's part of the minutes, generated from the meeting's journal: amendments and their fate, text
versions, objections, votes and numbered decisions; and the sentences of the proceedings."""
from cop.conferences.models import Party
from cop.db import db
from cop.meetings import minutes
from cop.meetings.models import AgendaItem, Meeting, MeetingEvent
from cop.negotiation import bp
from cop.negotiation.labels import AMENDMENT_KIND, AMENDMENT_STATE, CHOICE, DECISION_MODE
from cop.negotiation.texts.models import Draft, DraftVersion

PREFIXES = ("text.", "amendment.", "decision.", "objection.", "vote.")


def _amendment(d: dict, verb: str) -> str:
    """"Amendement 2 (Métropole de Lyon) au § 3 : intégré."""
    a = d.get("amendment") or {}
    return f"Amendement {a.get('number')} ({a.get('party')}) au § {a.get('paragraph_number')} : {verb}."


def _result(d: dict) -> str:
    """A vote's result in words."""
    vote = d.get("vote") or {}
    counts = (vote.get("result") or {}).get("counts") or {}
    words = ", ".join(f"{CHOICE[c].lower()} {counts.get(c, 0)}" for c in CHOICE)
    outcome = "adopté" if vote.get("outcome") == "adopted" else "rejeté"
    return f"Vote clos ({words}) : {outcome}" + (f" — {d['decision']['reference']}." if d.get("decision") else ".")


SENTENCES = {
    "text.created": lambda d: f"Projet de texte déposé : « {d['draft']['title']} » (version 1).",
    "text.changed": lambda d: f"Version {d.get('version')} du texte : {d.get('reason')}.",
    "amendment.tabled": lambda d: _amendment(d, f"déposé ({AMENDMENT_KIND[d['amendment']['kind']].lower()})"),
    "amendment.cosponsored": lambda d: _amendment(d, "coparrainé par " + ", ".join(d["amendment"]["sponsors"])),
    "amendment.revised": lambda d: _amendment(d, "actualisé par ses auteurs"),
    "amendment.withdrawn": lambda d: _amendment(d, "retiré par ses auteurs"),
    "amendment.taken_up": lambda d: _amendment(d, "mis en discussion"),
    "amendment.integrated": lambda d: _amendment(d, f"intégré (version {d.get('version')} du texte)"),
    "amendment.bracketed": lambda d: _amendment(d, f"mis entre crochets (version {d.get('version')} du texte)"),
    "amendment.set_aside": lambda d: _amendment(d, "écarté par la présidence"),
    "decision.proposed": lambda d: "La présidence propose l’adoption par consensus ; le délai d’objection court.",
    "decision.cancelled": lambda d: "La présidence retire sa proposition d’adoption.",
    "decision.blocked": lambda d: "Le délai d’objection expire : une objection maintenue bloque l’adoption.",
    "decision.adopted": lambda d: f"Le marteau tombe : {d['decision']['reference']} adoptée par consensus.",
    "decision.noted": lambda d: f"La présidence prend acte : {d['decision']['reference']}.",
    "objection.raised": lambda d: f"Objection de {d['objection']['party']} : « {d['objection']['reason']} ».",
    "objection.withdrawn": lambda d: f"{d['objection']['party']} retire son objection.",
    "objection.overruled": lambda d: f"La présidence passe outre à l’objection de {d['objection']['party']} "
                                     f"(« {d['objection']['ruling']} »).",
    "vote.opened": lambda d: f"Vote ouvert : {d['vote']['question']} ({d['vote']['present']} délégations présentes).",
    "vote.cast": lambda d: f"{d.get('party')} a voté.",
    "vote.changed": lambda d: f"{d.get('party')} a changé son vote.",
    "vote.closed": _result,
}
minutes.SENTENCES.update(SENTENCES)


def _events(meeting: Meeting) -> list[MeetingEvent]:
    """The negotiation's journal entries of a meeting, in order."""
    query = db.select(MeetingEvent).filter_by(meeting_id=meeting.id).order_by(MeetingEvent.seq)
    return [e for e in db.session.scalars(query) if e.name.startswith(PREFIXES)]


@bp.app_template_global()
def negotiation_minutes(meeting: Meeting) -> dict:
    """Amendments (last known state), objections, votes and decisions from the journal; the text versions."""
    amendments, objections, votes, decisions = {}, {}, [], []
    names = dict(db.session.execute(db.select(Party.id, Party.name)
                                    .filter_by(conference_id=meeting.conference_id)).all())
    for event in _events(meeting):
        d = event.data or {}
        if "amendment" in d:
            amendments[d["amendment"]["id"]] = dict(d["amendment"], kind_label=AMENDMENT_KIND[d["amendment"]["kind"]],
                                                    state_label=AMENDMENT_STATE[d["amendment"]["state"]])
        for objection in (d.get("window") or {}).get("objections", []):
            objections[objection["id"]] = objection
        if event.name == "vote.closed":
            votes.append(dict(d["vote"], names=[names.get(i, "?") for i in d["vote"]["participants"]],
                              by_party=sorted((names.get(int(k), "?"), c) for k, c in d["vote"]["ballots"].items())))
        if d.get("decision") and event.name in ("decision.adopted", "decision.noted", "vote.closed"):
            decisions.append(dict(d["decision"], mode_label=DECISION_MODE[d["decision"]["mode"]]))
    return {"amendments": list(amendments.values()), "objections": list(objections.values()),
            "versions": _versions(meeting), "votes": votes, "decisions": decisions}


def _versions(meeting: Meeting) -> list[DraftVersion]:
    """Every version of the meeting's texts (those filed before the meeting opened included)."""
    return db.session.scalars(db.select(DraftVersion).join(Draft).join(AgendaItem)
                              .filter(AgendaItem.meeting_id == meeting.id)
                              .order_by(AgendaItem.position, DraftVersion.number)).all()
