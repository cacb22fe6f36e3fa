"""The rules of procedure: set by the presidency before the first plenary, then changed only by a plenary's decision.

Before the negotiation the presidency sets them (the settings form; each change a new version in force,
`record_set`). From the first
plenary on, the presidency proposes a version on an agenda item of a plenary (`propose_rules`); the decision adopting
that item — by consensus or by vote, as the rules in force say — puts it in force (`_on_decision_adopted`). Every
version is public with its date and the decision that adopted it (`versions`).
"""

from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import Conference, RulesVersion
from cop.conferences.rules import RULES, check_settings
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid, NotFound
from cop.rulebook import allowed
from cop.rulebook.enums import MeetingKind, RulesState
from cop.signals import decision_adopted


def rules_of(conference: Conference) -> dict:
    """The rules in force, keyed by Conference column."""
    return {name: getattr(conference, name) for name in RULES}


def versions(conference: Conference) -> list[RulesVersion]:
    """Every version of the rules, oldest first."""
    return list(db.session.scalars(db.select(RulesVersion).filter_by(conference_id=conference.id)
                                   .order_by(RulesVersion.number)))


def _checked(conference: Conference, given: dict) -> dict:
    """The full set of rules after applying the given changes, checked like the settings form."""
    unknown = set(given) - set(RULES)
    if unknown:
        raise Invalid(f"Règle inconnue : {', '.join(sorted(unknown))}.")
    values = check_settings(conference, given)
    return {name: values[name] for name in RULES}


def _new_version(user: User, conference: Conference, rules: dict, state: str, item_id=None) -> RulesVersion:
    """Append the next numbered version."""
    number = (db.session.scalar(db.select(db.func.max(RulesVersion.number))
                                .filter_by(conference_id=conference.id)) or 0) + 1
    version = RulesVersion(conference_id=conference.id, number=number, rules=rules, state=state,
                           agenda_item_id=item_id, proposed_by_id=user.id, proposed_dt=utcnow(),
                           phase=conference.phase)
    db.session.add(version)
    db.session.flush()
    return version


def _put_in_force(conference: Conference, version: RulesVersion) -> None:
    """Apply a version's rules to the COP; the version in force before it is superseded."""
    for previous in db.session.scalars(db.select(RulesVersion).filter_by(conference_id=conference.id,
                                                                         state=RulesState.IN_FORCE)):
        previous.state = RulesState.SUPERSEDED
    for name, value in version.rules.items():
        if getattr(conference, name) != value:
            setattr(conference, name, value)
    version.state, version.in_force_dt = RulesState.IN_FORCE, utcnow()
    db.session.flush()


def record_set(user: User, conference: Conference) -> RulesVersion:
    """The presidency has just set the rules before the first plenary: they become the new public version."""
    version = _new_version(user, conference, rules_of(conference), RulesState.PROPOSED)
    _put_in_force(conference, version)
    return version


def _plenary_item(conference: Conference, item_id):
    """A pending item of a plenary of this COP that has not closed yet."""
    from cop.meetings.models import AgendaItem

    item = db.session.get(AgendaItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.meeting.conference_id != conference.id:
        raise NotFound("Ce point n’est pas à l’ordre du jour d’une séance de cette COP.")
    if item.meeting.kind != MeetingKind.PLENARY or item.meeting.state == "closed" or item.state == "done":
        raise Conflict("Le règlement ne change que par une décision de la plénière : choisissez un point encore à "
                       "traiter d’une plénière.")
    if db.session.scalar(db.select(RulesVersion.id).filter_by(agenda_item_id=item.id, state=RulesState.PROPOSED)):
        raise Conflict("Une révision du règlement est déjà proposée sur ce point.")
    return item


def propose_rules(user: User, conference: Conference, given: dict, item_id) -> RulesVersion:
    """From the first plenary on, the presidency proposes a revision, to be decided on a plenary's agenda item."""
    allowed("rules.propose", user, conference)
    rules = _checked(conference, given)
    if rules == rules_of(conference):
        raise Invalid("Cette proposition ne change aucune règle.")
    item = _plenary_item(conference, item_id)
    version = _new_version(user, conference, rules, RulesState.PROPOSED, item.id)
    record("conference.rules_proposed", "conference", conference.id, actor=user, conference_id=conference.id,
           data={"number": version.number, "item": item.id, "rules": rules})
    return version


@decision_adopted.connect
def _on_decision_adopted(decision, **_) -> None:
    """A plenary adopting the item of a proposed revision puts it in force (taking note of it does not)."""
    if decision.outcome != "adopted" or decision.paragraph_id is not None:
        return
    version = db.session.scalar(db.select(RulesVersion).filter_by(agenda_item_id=decision.agenda_item_id,
                                                                  state=RulesState.PROPOSED))
    if version is None:
        return
    conference = db.session.get(Conference, version.conference_id)
    version.decision_id = decision.id
    _put_in_force(conference, version)
    record("conference.rules_adopted", "conference", conference.id, actor=None, conference_id=conference.id,
           data={"number": version.number, "decision": decision.id})



def proposable_items(conference: Conference) -> list[tuple[int, str]]:
    """The agenda items a revision can be proposed on: not yet dealt with, in plenaries that have not closed."""
    from cop.meetings.models import AgendaItem, Meeting

    rows = db.session.execute(
        db.select(AgendaItem.id, AgendaItem.title, Meeting.title).join(Meeting)
        .where(Meeting.conference_id == conference.id, Meeting.kind == MeetingKind.PLENARY,
               Meeting.state != "closed", AgendaItem.state != "done")
        .order_by(Meeting.starts_dt, AgendaItem.position)).all()
    return [(item_id, f"{meeting} — {title}") for item_id, title, meeting in rows]
