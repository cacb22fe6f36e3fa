"""The rulebook: may this happen? Who (role), when (phase), on what (state) — one answer, with a reason.

Services call `require(ask(action, user, subject))` and let the domain error rise; views hand templates
`may_all(user, subject, actions)`; the live snapshot carries `may_for(user, meeting)` (cop/rulebook/live.py).
A new action gets one row in table.py (on what, who) and one in phases.py (when); a state rule goes in states.py.
"""
from cop.rulebook.answer import YES, Answer, first_no, no, require
from cop.rulebook.phases import ACTION_PHASES, allowed_phases, in_phase
from cop.rulebook.states import meeting_allows, object_allows
from cop.rulebook.table import ACTIONS, CONFERENCE, MEETING, SEALED

__all__ = ["ACTIONS", "ACTION_PHASES", "YES", "Answer", "allowed", "allowed_phases", "ask", "first_no", "in_phase",
           "may_all", "may_key", "no", "require", "who_may"]


def _parts(on: str, subject):
    """The conference and the meeting an action's subject belongs to."""
    if on == CONFERENCE:
        return subject, None
    if on == MEETING:
        return subject.conference, subject
    if on == SEALED:
        return subject.seal_conference, None
    return subject.conference, None


def who_may(action: str, user, subject) -> Answer:
    """The role part of the answer alone: may this person ever do the action on this subject?"""
    return ACTIONS[action][1](user, subject)


def ask(action: str, user, subject, obj=None) -> Answer:
    """May `user` do `action` on `subject` (a conference, a party or a meeting, as table.py says) now?

    The role is asked first, then the phase, then the meeting's state, then the state of `obj` (the commitment or
    version acted on, when the action has a state rule in states.py): the first refusal is the answer.
    """
    conference, meeting = _parts(ACTIONS[action][0], subject)
    answer = who_may(action, user, subject)
    if not answer:
        return answer
    answer = in_phase(action, conference, meeting)
    if answer and meeting is not None:
        answer = meeting_allows(action, meeting)
    if answer and obj is not None:
        answer = object_allows(action, obj)
    return answer


def allowed(action: str, user, subject, obj=None) -> Answer:
    """Ask and raise the refusal's domain error (Forbidden, WrongPhase, Conflict) with its reason."""
    return require(ask(action, user, subject, obj))


def may_key(action: str) -> str:
    """The name of an action in a template's `may` (may.roadmap_generate for "roadmap.generate")."""
    return action.replace(".", "_")


def may_all(user, subject, actions, obj=None) -> dict[str, Answer]:
    """The answers for several actions on one subject (and object), for a template's `may` (keys: see may_key)."""
    return {may_key(action): ask(action, user, subject, obj) for action in actions}
