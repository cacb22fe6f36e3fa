"""The `may` of one reader on one meeting: the rulebook's answers for every action of the room.

The same mapping is handed to the meeting's pages and sent, per connection, beside the live snapshot (the shared
state stays the same for everyone; `may` is the reader's overlay, recomputed after each event).
"""
from cop.rulebook import ACTIONS, MEETING, ask
from cop.rulebook.answer import Answer

#: The actions done on a meeting, in the table's order.
MEETING_ACTIONS = tuple(name for name, (on, _) in ACTIONS.items() if on == MEETING)


def key(action: str) -> str:
    """The name of an action in `may` (templates read may.floor_request)."""
    return action.replace(".", "_")


def may_for(user, meeting) -> dict[str, Answer]:
    """Every meeting action's answer for this reader (None for a watcher without an account)."""
    return {key(action): ask(action, user, meeting) for action in MEETING_ACTIONS}


def may_json(user, meeting) -> dict[str, dict]:
    """`may_for` as JSON: {"floor_request": {"ok": false, "reason": "…"}, …}."""
    return {name: answer.as_dict() for name, answer in may_for(user, meeting).items()}
