"""The live commands on a meeting and its agenda; the speakers' list lives in floor.py."""
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from cop.auth.models import User
from cop.errors import Conflict, Forbidden, Invalid
from cop.loaders import item_of
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.rules import check_state
from cop.permissions import can_chair_meeting


class UnknownCommand(Invalid):
    """The command name is not part of the protocol."""

    code = "unknown_command"


@dataclass
class Context:
    """What a command handler works with: the locked meeting, the actor, the arguments, the time."""

    meeting: Meeting
    user: User
    party_id: Optional[int]
    args: dict[str, Any]
    now: datetime

    def int_arg(self, name: str) -> int:
        """A required integer argument."""
        value = self.args.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"L’argument « {name} » doit être un nombre entier.")
        return value


Handler = Callable[[Context], tuple[str, dict]]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under its command name."""
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = handler
        return handler
    return register


def require_chair(ctx: Context) -> None:
    """Only the chair, the co-facilitators and the presidency run the meeting."""
    if not can_chair_meeting(ctx.user, ctx.meeting):
        raise Forbidden("Seule la présidence de séance peut faire cela.")


@command("meeting.open")
def meeting_open(ctx: Context) -> tuple[str, dict]:
    """Open a scheduled meeting."""
    require_chair(ctx)
    check_state(ctx.meeting, "scheduled")
    ctx.meeting.state = "open"
    return "meeting.opened", {"state": "open"}


@command("meeting.suspend")
def meeting_suspend(ctx: Context) -> tuple[str, dict]:
    """Suspend an open meeting; the speaker's timer stops."""
    from cop.meetings.floor import stop_timer

    require_chair(ctx)
    check_state(ctx.meeting, "open")
    ctx.meeting.state = "suspended"
    timer = stop_timer(ctx)
    return "meeting.suspended", {"state": "suspended", "timer": timer}


@command("meeting.resume")
def meeting_resume(ctx: Context) -> tuple[str, dict]:
    """Resume a suspended meeting (the chair restarts the timer when needed)."""
    require_chair(ctx)
    check_state(ctx.meeting, "suspended")
    ctx.meeting.state = "open"
    return "meeting.resumed", {"state": "open"}


@command("meeting.close")
def meeting_close(ctx: Context) -> tuple[str, dict]:
    """Close the meeting: the current speaker ends, the waiting requests lapse, the item is done."""
    from cop.meetings.floor import end_speaker, lapse_waiting

    require_chair(ctx)
    check_state(ctx.meeting, "open", "suspended")
    ended = end_speaker(ctx)
    lapsed = lapse_waiting(ctx)
    item = ctx.meeting.current_item
    if item is not None:
        item.state = "done"
    ctx.meeting.state = "closed"
    return "meeting.closed", {"state": "closed", "ended": ended, "lapsed": lapsed,
                              "item_id": item.id if item else None}


def _switch_item(ctx: Context, item: AgendaItem) -> tuple[str, dict]:
    """Close the current item and open another one."""
    previous = ctx.meeting.current_item
    if previous is item:
        raise Conflict("Ce point est déjà en discussion.")
    if previous is not None:
        previous.state = "done"
    item.state = "open"
    return "item.opened", {"item_id": item.id, "position": item.position, "title": item.title,
                           "previous_item_id": previous.id if previous else None}


@command("item.open")
def item_open(ctx: Context) -> tuple[str, dict]:
    """Open an agenda item (the current one is done)."""
    require_chair(ctx)
    check_state(ctx.meeting, "open")
    return _switch_item(ctx, item_of(ctx.meeting, ctx.int_arg("item_id")))


@command("item.next")
def item_next(ctx: Context) -> tuple[str, dict]:
    """Open the next pending item after the current one."""
    require_chair(ctx)
    check_state(ctx.meeting, "open")
    current = ctx.meeting.current_item
    after = current.position if current else 0
    following = [i for i in ctx.meeting.items if i.state == "pending" and i.position > after]
    if not following:
        raise Conflict("Il n’y a plus de point à l’ordre du jour.")
    return _switch_item(ctx, following[0])
