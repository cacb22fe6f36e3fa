"""Live commands of the negotiation: text.* and amendment.* here, decision.*, objection.* and vote.* in
decision_commands.py. Each calls a domain function and returns the event the meeting's journal records;
meetings.services.run_command locks the meeting, writes the event and the caller commits."""
from cop.loaders import item_of
from cop.meetings.commands import Context, command
from cop.meetings.rules import check_state
from cop.negotiation.amendments import operations as amendments
from cop.negotiation.amendments import rulings
from cop.negotiation.texts import operations as texts
from cop.negotiation.services import IN_SESSION, ON_RECORD, amendment_of, paragraph_of
from cop.negotiation.state import amendment_json, draft_json


def _text_changed(version) -> tuple[str, dict]:
    """The event of a new text version."""
    return "text.changed", {"draft": draft_json(version.draft), "version": version.number, "reason": version.reason}


@command("text.create")
def text_create(ctx: Context) -> tuple[str, dict]:
    """The presidency gives the item a draft text during the meeting."""
    check_state(ctx.meeting, *ON_RECORD)
    item = item_of(ctx.meeting, ctx.args.get("item_id"))
    draft = texts.create_draft(ctx.user, ctx.meeting, item, ctx.args.get("title"), ctx.args.get("body"), ctx.now)
    return "text.created", {"draft": draft_json(draft)}


@command("text.edit")
def text_edit(ctx: Context) -> tuple[str, dict]:
    """The chair rewrites a paragraph."""
    check_state(ctx.meeting, *IN_SESSION)
    paragraph = paragraph_of(ctx.meeting, ctx.args.get("paragraph_id"))
    return _text_changed(texts.edit_paragraph(ctx.user, ctx.meeting, paragraph, ctx.args.get("version"),
                                              ctx.args.get("text"), ctx.now))


@command("text.resolve")
def text_resolve(ctx: Context) -> tuple[str, dict]:
    """The chair keeps one bracketed option."""
    check_state(ctx.meeting, *IN_SESSION)
    paragraph = paragraph_of(ctx.meeting, ctx.args.get("paragraph_id"))
    return _text_changed(texts.resolve_option(ctx.user, ctx.meeting, paragraph, ctx.args.get("version"),
                                              ctx.args.get("group"), ctx.args.get("option"), ctx.now))


@command("text.status")
def text_status(ctx: Context) -> tuple[str, dict]:
    """The chair marks a paragraph agreed ad referendum, or reopens it."""
    check_state(ctx.meeting, *IN_SESSION)
    paragraph = paragraph_of(ctx.meeting, ctx.args.get("paragraph_id"))
    return _text_changed(texts.set_status(ctx.user, ctx.meeting, paragraph, ctx.args.get("version"),
                                          ctx.args.get("status"), ctx.now))


@command("amendment.table")
def amendment_table(ctx: Context) -> tuple[str, dict]:
    """A delegation tables an amendment."""
    check_state(ctx.meeting, *ON_RECORD)
    paragraph = paragraph_of(ctx.meeting, ctx.args.get("paragraph_id"))
    a = amendments.table(ctx.user, ctx.meeting, paragraph, ctx.args.get("kind"), ctx.args.get("text"),
                         ctx.args.get("explanation"), ctx.args.get("version"), ctx.now)
    return "amendment.tabled", {"amendment": amendment_json(a)}


def _on_amendment(name: str, event: str, states: tuple, act) -> None:
    """Register a command that acts on one amendment and reports it (with the new text when there is one)."""
    @command(name)
    def handler(ctx: Context) -> tuple[str, dict]:
        check_state(ctx.meeting, *states)
        amendment = amendment_of(ctx.meeting, ctx.args.get("amendment_id"))
        version = act(ctx, amendment)
        data = {"amendment": amendment_json(amendment)}
        if event in ("amendment.integrated", "amendment.bracketed"):
            data.update(draft=draft_json(version.draft), version=version.number, reason=version.reason)
        return event, data
    handler.__doc__ = f"The {name} command."


_on_amendment("amendment.cosponsor", "amendment.cosponsored", ON_RECORD,
              lambda ctx, a: amendments.cosponsor(ctx.user, ctx.meeting, a, ctx.now))
_on_amendment("amendment.revise", "amendment.revised", ON_RECORD,
              lambda ctx, a: amendments.revise(ctx.user, ctx.meeting, a, ctx.args.get("text"),
                                               ctx.args.get("explanation"), ctx.args.get("version")))
_on_amendment("amendment.withdraw", "amendment.withdrawn", ON_RECORD,
              lambda ctx, a: amendments.withdraw(ctx.user, ctx.meeting, a, ctx.now))
_on_amendment("amendment.take_up", "amendment.taken_up", IN_SESSION,
              lambda ctx, a: rulings.take_up(ctx.user, ctx.meeting, a))
_on_amendment("amendment.integrate", "amendment.integrated", IN_SESSION,
              lambda ctx, a: rulings.integrate(ctx.user, ctx.meeting, a, ctx.now))
_on_amendment("amendment.bracket", "amendment.bracketed", IN_SESSION,
              lambda ctx, a: rulings.bracket(ctx.user, ctx.meeting, a, ctx.now))
_on_amendment("amendment.set_aside", "amendment.set_aside", IN_SESSION,
              lambda ctx, a: rulings.set_aside(ctx.user, ctx.meeting, a, ctx.now))


from cop.negotiation.decisions import commands as decision_commands  # noqa: E402,F401  (registers decision.*, objection.*)
from cop.negotiation.votes import commands as vote_commands  # noqa: E402,F401  (registers vote.*)
