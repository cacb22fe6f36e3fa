"""Live commands of decisions: the consensus gavel and its objections (decision.*, objection.*), votes (vote.*)."""
from cop.db import db
from cop.errors import Forbidden, NotFound
from cop.loaders import item_of
from cop.meetings.commands import Context, command
from cop.meetings.rules import check_state
from cop.negotiation.decisions import consensus
from cop.negotiation.decisions import operations as decisions
from cop.negotiation.votes import operations as votes
from cop.negotiation.decisions.models import Decision
from cop.negotiation.services import IN_SESSION, ON_RECORD, draft_of, paragraph_of, require_chair
from cop.negotiation.state import decision_json, draft_json, objection_json, vote_json, window_json
from cop.negotiation.votes.models import VoteParticipation


def _target(ctx: Context):
    """The item (and optional paragraph of its draft) a decision is about."""
    item = item_of(ctx.meeting, ctx.args.get("item_id"))
    paragraph_id = ctx.args.get("paragraph_id")
    paragraph = paragraph_of(ctx.meeting, paragraph_id) if paragraph_id is not None else None
    if paragraph is not None and paragraph.draft.agenda_item_id != item.id:
        raise NotFound("Ce paragraphe n’appartient pas au texte de ce point.")
    return item, paragraph


@command("decision.propose")
def decision_propose(ctx: Context) -> tuple[str, dict]:
    """The chair proposes adoption by consensus; the objection window opens."""
    check_state(ctx.meeting, *IN_SESSION)
    item, paragraph = _target(ctx)
    window = consensus.propose(ctx.user, ctx.meeting, item, paragraph, ctx.now)
    seconds = ctx.meeting.conference.objection_window_seconds
    return "decision.proposed", {"window": window_json(window), "seconds": seconds}


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
    item, _ = _target(ctx)
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


@command("vote.open")
def vote_open(ctx: Context) -> tuple[str, dict]:
    """The chair opens a vote; `present` is the live server's presence (or the chair's roll call on the web)."""
    check_state(ctx.meeting, *IN_SESSION)
    item, paragraph = _target(ctx)
    vote = votes.open_vote(ctx.user, ctx.meeting, item, paragraph, ctx.args.get("question"),
                           ctx.args.get("present"), ctx.now)
    return "vote.opened", {"vote": vote_json(vote)}


def _participation(vote, party) -> dict:
    """Who took part, never how (the choice stays out of every event)."""
    count = db.session.scalar(db.select(db.func.count(VoteParticipation.id)).filter_by(vote_id=vote.id))
    return {"vote_id": vote.id, "party_id": party.id, "party": party.name, "participants": count}


@command("vote.cast")
def vote_cast(ctx: Context) -> tuple[str, dict]:
    """A party votes."""
    check_state(ctx.meeting, *IN_SESSION)
    vote = votes.vote_of(ctx.meeting, ctx.args.get("vote_id"))
    if "party_id" in ctx.args and ctx.args["party_id"] != ctx.party_id:
        raise Forbidden("Chaque délégation vote pour elle-même : vous ne pouvez pas voter pour une autre partie.")
    participation = votes.cast(ctx.user, ctx.meeting, vote, ctx.args.get("choice"), ctx.args.get("receipt"), ctx.now)
    return "vote.cast", _participation(vote, participation.party)


@command("vote.change")
def vote_change(ctx: Context) -> tuple[str, dict]:
    """A party changes its vote before the close."""
    check_state(ctx.meeting, *IN_SESSION)
    vote = votes.vote_of(ctx.meeting, ctx.args.get("vote_id"))
    party = votes.change(ctx.user, ctx.meeting, vote, ctx.args.get("choice"), ctx.args.get("receipt"))
    return "vote.changed", _participation(vote, party)


@command("vote.close")
def vote_close(ctx: Context) -> tuple[str, dict]:
    """The chair closes the vote; the result goes to every client at once."""
    check_state(ctx.meeting, *IN_SESSION)
    vote = votes.close_vote(ctx.user, ctx.meeting, votes.vote_of(ctx.meeting, ctx.args.get("vote_id")), ctx.now)
    decision = db.session.get(Decision, vote.decision_id) if vote.decision_id else None
    return "vote.closed", {"vote": vote_json(vote), "decision": decision_json(decision) if decision else None}
