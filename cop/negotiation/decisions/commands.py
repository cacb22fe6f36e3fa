"""Live commands of decisions: the consensus gavel and its objections (decision.*, objection.*); votes' own
commands (vote.*) are the votes package's (cop/negotiation/votes/commands.py)."""
from cop.meetings.commands import Context, command
from cop.meetings.quorum import check_quorum
from cop.meetings.rules import check_state
from cop.negotiation.decisions import consensus
from cop.negotiation.decisions import operations as decisions
from cop.negotiation.services import IN_SESSION, ON_RECORD, decision_target, draft_of, require_chair
from cop.negotiation.state import decision_json, draft_json, objection_json, window_json


@command("decision.propose")
def decision_propose(ctx: Context) -> tuple[str, dict]:
    """The chair proposes adoption by consensus; the objection window opens."""
    check_state(ctx.meeting, *IN_SESSION)
    item, paragraph = decision_target(ctx.meeting, ctx.args)
    quorum = check_quorum(ctx, item) if ctx.meeting.conference.consensus_quorum else None
    window = consensus.propose(ctx.user, ctx.meeting, item, paragraph, ctx.now)
    seconds = ctx.meeting.conference.objection_window_seconds
    return "decision.proposed", {"window": window_json(window), "seconds": seconds, "quorum": quorum}


def settle_event(meeting, window, now, user=None) -> tuple[str, dict]:
    """Close an expired window: the gavel falls, or a standing objection blocks the adoption."""
    decision = consensus.settle(meeting, window, now, user)
    if decision is None:
        return "decision.blocked", {"window": window_json(window)}
    draft = draft_of(window.agenda_item)
    return "decision.adopted", {"window": window_json(window), "decision": decision_json(decision),
                                "draft": draft_json(draft) if draft else None}


@command("decision.gavel")
def decision_gavel(ctx: Context) -> tuple[str, dict]:
    """The chair brings the gavel down once the window is over (the server also does it by itself)."""
    check_state(ctx.meeting, *ON_RECORD)
    require_chair(ctx.user, ctx.meeting)
    return settle_event(ctx.meeting, consensus.window_of(ctx.meeting, ctx.args.get("window_id")), ctx.now, ctx.user)


@command("decision.cancel")
def decision_cancel(ctx: Context) -> tuple[str, dict]:
    """The chair withdraws a proposal of adoption."""
    check_state(ctx.meeting, *IN_SESSION)
    window = consensus.cancel(ctx.user, ctx.meeting, consensus.window_of(ctx.meeting, ctx.args.get("window_id")),
                              ctx.now)
    return "decision.cancelled", {"window": window_json(window)}


@command("decision.take_note")
def decision_take_note(ctx: Context) -> tuple[str, dict]:
    """The chair takes note of the item."""
    check_state(ctx.meeting, *IN_SESSION)
    require_chair(ctx.user, ctx.meeting)
    item, _ = decision_target(ctx.meeting, ctx.args)
    return "decision.noted", {"decision": decision_json(decisions.take_note(ctx.user, ctx.meeting, item, ctx.now))}


def _on_objection(name: str, event: str, act) -> None:
    """Register a command on an objection; the event carries the whole proposal."""
    @command(name)
    def handler(ctx: Context) -> tuple[str, dict]:
        check_state(ctx.meeting, *ON_RECORD)
        objection = act(ctx)
        return event, {"objection": objection_json(objection), "window": window_json(objection.window)}
    handler.__doc__ = f"The {name} command."


_on_objection("objection.raise", "objection.raised", lambda ctx: consensus.raise_objection(
    ctx.user, ctx.meeting, consensus.window_of(ctx.meeting, ctx.args.get("window_id")), ctx.args.get("reason"),
    ctx.now))
_on_objection("objection.withdraw", "objection.withdrawn", lambda ctx: consensus.withdraw_objection(
    ctx.user, ctx.meeting, consensus.objection_of(ctx.meeting, ctx.args.get("objection_id")), ctx.now))
_on_objection("objection.overrule", "objection.overruled", lambda ctx: consensus.overrule(
    ctx.user, ctx.meeting, consensus.objection_of(ctx.meeting, ctx.args.get("objection_id")),
    ctx.args.get("ruling"), ctx.now))
