"""Live commands of votes (vote.open, vote.cast, vote.change, vote.close): registered in the meetings' command table
when the negotiation's commands load (cop/negotiation/texts/commands.py)."""
from cop.db import db
from cop.errors import Forbidden
from cop.meetings.commands import Context, command
from cop.meetings.quorum import check_quorum
from cop.meetings.rules import check_state
from cop.negotiation.decisions.models import Decision
from cop.negotiation.services import IN_SESSION, decision_target
from cop.negotiation.state import decision_json, vote_json
from cop.negotiation.votes import operations as votes


@command("vote.open")
def vote_open(ctx: Context) -> tuple[str, dict]:
    """The chair opens a vote on the quorum of the item's roll call, or of the live server's measured presence."""
    check_state(ctx.meeting, *IN_SESSION)
    item, paragraph = decision_target(ctx.meeting, ctx.args)
    vote = votes.open_vote(ctx.user, ctx.meeting, item, paragraph, ctx.args.get("question"),
                           lambda: check_quorum(ctx, item), ctx.now)
    return "vote.opened", {"vote": vote_json(vote)}


def _participation(vote, party, count: int) -> dict:
    """Who took part, never how (the choice stays out of every event)."""
    return {"vote_id": vote.id, "party_id": party.id, "party": party.name, "participants": count}


@command("vote.cast")
def vote_cast(ctx: Context) -> tuple[str, dict]:
    """A party votes."""
    check_state(ctx.meeting, *IN_SESSION)
    vote = votes.vote_of(ctx.meeting, ctx.args.get("vote_id"))
    if "party_id" in ctx.args and ctx.args["party_id"] != ctx.party_id:
        raise Forbidden("Chaque délégation vote pour elle-même : vous ne pouvez pas voter pour une autre partie.")
    participation, count = votes.cast(ctx.user, ctx.meeting, vote, ctx.args.get("choice"), ctx.args.get("receipt"),
                                      ctx.now)
    return "vote.cast", _participation(vote, participation.party, count)


@command("vote.change")
def vote_change(ctx: Context) -> tuple[str, dict]:
    """A party changes its vote before the close."""
    check_state(ctx.meeting, *IN_SESSION)
    vote = votes.vote_of(ctx.meeting, ctx.args.get("vote_id"))
    party, count = votes.change(ctx.user, ctx.meeting, vote, ctx.args.get("choice"), ctx.args.get("receipt"))
    return "vote.changed", _participation(vote, party, count)


@command("vote.close")
def vote_close(ctx: Context) -> tuple[str, dict]:
    """The chair closes the vote; the result goes to every client at once."""
    check_state(ctx.meeting, *IN_SESSION)
    vote = votes.close_vote(ctx.user, ctx.meeting, votes.vote_of(ctx.meeting, ctx.args.get("vote_id")), ctx.now)
    decision = db.session.get(Decision, vote.decision_id) if vote.decision_id else None
    return "vote.closed", {"vote": vote_json(vote), "decision": decision_json(decision) if decision else None}
