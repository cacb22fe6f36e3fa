"""The negotiation's part of the minutes, generated from the meeting's journal: amendments and their fate, text
versions, objections, votes and numbered decisions; and the sentences of the proceedings."""
from flask_babel import gettext as _

from cop.conferences.models import Party
from cop.db import db
from cop.filters import decision_reference
from cop.meetings import minutes
from cop.meetings.models import AgendaItem, Meeting, MeetingEvent
from cop.negotiation import bp
from cop.negotiation.labels import AMENDMENT_KIND, AMENDMENT_STATE, CHOICE, DECISION_MODE
from cop.negotiation.texts.models import Draft, DraftVersion

PREFIXES = ("text.", "amendment.", "decision.", "objection.", "vote.")


def _amendment(d: dict, fate: str) -> str:
    """"Amendement 2 (Métropole de Lyon) au § 3 : intégré (…)."""
    a = d.get("amendment") or {}
    return _("Amendement %(n)s (%(party)s) au § %(p)s : %(fate)s.", n=a.get("number"), party=a.get("party"),
             p=a.get("paragraph_number"), fate=fate)


def _reference(d: dict) -> str:
    """A decision's reference in the reader's language ("Décision 3/COP-AURA-2027")."""
    decision = d.get("decision") or {}
    return decision_reference(decision.get("number"), str(decision.get("reference", "")).partition("/")[2])


def _result(d: dict) -> str:
    """A vote's result in words."""
    vote = d.get("vote") or {}
    counts = (vote.get("result") or {}).get("counts") or {}
    words = ", ".join(f"{str(CHOICE[c]).lower()} {counts.get(c, 0)}" for c in CHOICE)
    if vote.get("outcome") == "adopted":
        if d.get("decision"):
            return _("Vote clos (%(counts)s) : adopté — %(ref)s.", counts=words, ref=_reference(d))
        return _("Vote clos (%(counts)s) : adopté.", counts=words)
    return _("Vote clos (%(counts)s) : rejeté.", counts=words)


SENTENCES = {
    "text.created": lambda d: _("Projet de texte déposé : « %(title)s » (version 1).", title=d["draft"]["title"]),
    "text.changed": lambda d: _("Version %(n)s du texte : %(reason)s.", n=d.get("version"), reason=d.get("reason")),
    "amendment.tabled": lambda d: _amendment(d, _("déposé (%(kind)s)",
                                                  kind=str(AMENDMENT_KIND[d["amendment"]["kind"]]).lower())),
    "amendment.cosponsored": lambda d: _amendment(d, _("coparrainé par %(names)s",
                                                       names=", ".join(d["amendment"]["sponsors"]))),
    "amendment.revised": lambda d: _amendment(d, _("actualisé par ses auteurs")),
    "amendment.withdrawn": lambda d: _amendment(d, _("retiré par ses auteurs")),
    "amendment.taken_up": lambda d: _amendment(d, _("mis en discussion")),
    "amendment.integrated": lambda d: _amendment(d, _("intégré (version %(n)s du texte)", n=d.get("version"))),
    "amendment.bracketed": lambda d: _amendment(d, _("mis entre crochets (version %(n)s du texte)",
                                                     n=d.get("version"))),
    "amendment.set_aside": lambda d: _amendment(d, _("écarté par la présidence")),
    "decision.proposed": lambda d: _("La présidence propose l’adoption par consensus ; le délai d’objection court."),
    "decision.cancelled": lambda d: _("La présidence retire sa proposition d’adoption."),
    "decision.blocked": lambda d: _("Le délai d’objection expire : une objection maintenue bloque l’adoption."),
    "decision.adopted": lambda d: _("Le marteau tombe : %(ref)s adoptée par consensus.", ref=_reference(d)),
    "decision.noted": lambda d: _("La présidence prend acte : %(ref)s.", ref=_reference(d)),
    "objection.raised": lambda d: _("Objection de %(party)s : « %(reason)s ».", party=d["objection"]["party"],
                                    reason=d["objection"]["reason"]),
    "objection.withdrawn": lambda d: _("%(party)s retire son objection.", party=d["objection"]["party"]),
    "objection.overruled": lambda d: _("La présidence passe outre à l’objection de %(party)s (« %(ruling)s »).",
                                       party=d["objection"]["party"], ruling=d["objection"]["ruling"]),
    "vote.opened": lambda d: _("Vote ouvert : %(question)s (%(n)s délégations présentes).",
                               question=d["vote"]["question"], n=d["vote"]["present"]),
    "vote.cast": lambda d: _("%(party)s a voté.", party=d.get("party")),
    "vote.changed": lambda d: _("%(party)s a changé son vote.", party=d.get("party")),
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
