"""The `may` of one reader on one meeting: the rulebook's answers for every action of the room.

The same mapping is handed to the meeting's pages and sent, per connection, beside the live snapshot. The shared
state stays the same for everyone (and may be cached once per meeting and seq); `may` is the reader's overlay:
the role part is computed once per connection, and combined without the database with the COP's phase and the
meeting's state each time the state changes (`overlay`).
"""
from cop.rulebook import ACTIONS, MEETING, may_key, who_may
from cop.rulebook.answer import Answer, first_no
from cop.rulebook.phases import phase_allows
from cop.rulebook.states import state_allows

#: The actions done on a meeting, in the table's order.
MEETING_ACTIONS = tuple(name for name, (on, _) in ACTIONS.items() if on == MEETING)


key = may_key


def roles_of(user, meeting) -> dict[str, Answer]:
    """The role part of every meeting action for this reader (the only part that reads the database)."""
    return {action: who_may(action, user, meeting) for action in MEETING_ACTIONS}


def overlay(roles: dict[str, Answer], phase: str, kind: str, state: str) -> dict[str, Answer]:
    """Combine the reader's role answers with the phase and the meeting's state: may, keyed for templates."""
    return {key(action): first_no(roles[action], phase_allows(action, phase, kind), state_allows(action, state))
            for action in MEETING_ACTIONS}


def may_for(user, meeting) -> dict[str, Answer]:
    """Every meeting action's answer for this reader (None for a watcher without an account)."""
    return overlay(roles_of(user, meeting), meeting.conference.phase, meeting.kind, meeting.state)


def as_json(may: dict[str, Answer]) -> dict[str, dict]:
    """`may` as JSON: {"floor_request": {"ok": false, "reason": "…"}, …}."""
    return {name: answer.as_dict() for name, answer in may.items()}
