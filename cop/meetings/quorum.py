"""Who is present for a decision: the chair's roll call of the current item, journaled, or the live presence.

Nothing is pre-ticked: a roll call lists the delegations the chair saw, item by item, as a `rollcall.recorded`
event of the meeting's journal; without one, only the presence the live server measured counts (the web doors
measure nothing, so they need a roll call).
"""
import math
from typing import Optional

from cop.conferences.models import Party
from cop.db import db
from cop.errors import Conflict, Invalid, NotFound
from cop.meetings.commands import Context, command
from cop.meetings.models import AgendaItem, Meeting, MeetingEvent


def accredited_ids(meeting: Meeting) -> set[int]:
    """The conference's accredited parties (the electorate of a quorum)."""
    return set(db.session.scalars(db.select(Party.id).filter_by(conference_id=meeting.conference_id,
                                                                accreditation="accredited")))


def roll_call(meeting: Meeting, item: AgendaItem) -> Optional[list[int]]:
    """The parties of the latest roll call recorded for this item, or None when the chair called none."""
    event = db.session.scalar(db.select(MeetingEvent).filter_by(meeting_id=meeting.id, name="rollcall.recorded")
                              .order_by(MeetingEvent.seq.desc()).where(
                                  MeetingEvent.data["item_id"].as_integer() == item.id).limit(1))
    return list(event.data["present"]) if event is not None else None


def present_for(ctx: Context, item: AgendaItem) -> tuple[set[int], str]:
    """The present delegations for a decision on the item, and where the figure comes from."""
    called = roll_call(ctx.meeting, item)
    if called is not None:
        return set(called), "roll_call"
    if ctx.presence is not None:
        return set(ctx.presence), "measured"
    raise Conflict("Aucune présence mesurée pour ce point : faites l’appel des délégations présentes "
                   "(il est consigné au compte rendu) avant la décision.")


def check_quorum(ctx: Context, item: AgendaItem) -> dict:
    """Refuse a decision without the quorum of the rules; return the figures for the journal."""
    accredited = accredited_ids(ctx.meeting)
    present, source = present_for(ctx, item)
    present &= accredited
    required = math.ceil(len(accredited) * ctx.meeting.conference.quorum_percent / 100)
    if not accredited or len(present) < required:
        raise Conflict(f"Quorum non atteint : {len(present)} délégation(s) présente(s) sur {len(accredited)} "
                       f"accréditée(s), {required} requise(s).")
    return {"present": sorted(present), "required": required, "accredited": len(accredited), "source": source}


@command("rollcall.record")
def rollcall_record(ctx: Context) -> tuple[str, dict]:
    """The chair records who is present for an item (the current one by default; accredited delegations only)."""
    if "item_id" in ctx.args:
        item_id = ctx.int_arg("item_id")
        item = next((i for i in ctx.meeting.items if i.id == item_id), None)
        if item is None:
            raise NotFound("Ce point n’est pas à l’ordre du jour de cette séance.")
    else:
        item = ctx.meeting.current_item
    if item is None:
        raise Conflict("Ouvrez d’abord un point de l’ordre du jour : l’appel se fait point par point.")
    given = ctx.args.get("present")
    if not isinstance(given, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in given):
        raise Invalid("L’appel est une liste d’identifiants de parties.")
    accredited = accredited_ids(ctx.meeting)
    unknown = set(given) - accredited
    if unknown:
        raise Invalid("L’appel ne peut compter que des délégations accréditées de cette COP.")
    present = sorted(set(given))
    return "rollcall.recorded", {"item_id": item.id, "present": present, "count": len(present),
                                 "accredited": len(accredited)}
