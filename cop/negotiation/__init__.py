"""Negotiation in the room: draft texts and their versions, amendments, the consensus gavel, votes, decisions."""
from flask import Blueprint

bp = Blueprint("negotiation", __name__, url_prefix="/meetings")

from cop.negotiation import labels, minutes  # noqa: E402,F401
from cop.negotiation.texts import views  # noqa: E402,F401


def _plug_in() -> None:
    """Give meetings and the live server the negotiation's snapshot part, vote presence and gavel timer."""
    from cop.meetings import registry
    from cop.negotiation.decisions import live
    from cop.negotiation.state import negotiation_state

    registry.snapshot_part("negotiation", negotiation_state)
    registry.enricher("negotiation.presence", live.with_presence)
    registry.timer("negotiation.gavel", tick=live.settle, on_event=live.schedule)


_plug_in()
