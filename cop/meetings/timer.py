"""The speaking timer of the current speaker, as live commands."""
from cop.errors import Conflict
from cop.meetings.commands import Context, command, require_chair
from cop.meetings.floor import current_speaker, limit, stop_timer
from cop.meetings.models import FloorRequest
from cop.meetings.rules import check_state
from cop.meetings.state import timer_json


def _timer(ctx: Context, running: bool) -> FloorRequest:
    """The current speaker, when their timer is in the other state."""
    require_chair(ctx)
    check_state(ctx.meeting, "open")
    speaker = current_speaker(ctx)
    if speaker is None:
        raise Conflict("Personne n’a la parole.")
    if (speaker.timer_started_dt is not None) == running:
        raise Conflict("Le chronomètre tourne déjà.") if running else Conflict("Le chronomètre est déjà arrêté.")
    return speaker


@command("timer.start")
def timer_start(ctx: Context) -> tuple[str, dict]:
    """Start (or restart) the current speaker's timer."""
    speaker = _timer(ctx, running=True)
    speaker.timer_started_dt = ctx.now
    return "timer.started", {"timer": timer_json(speaker, limit(ctx), ctx.now)}


@command("timer.stop")
def timer_stop(ctx: Context) -> tuple[str, dict]:
    """Stop the current speaker's timer."""
    return "timer.stopped", {"timer": stop_timer(ctx, _timer(ctx, running=False))}
