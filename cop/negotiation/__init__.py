"""Negotiation in the room: draft texts and their versions, amendments, the consensus gavel, votes, decisions."""
from flask import Blueprint

bp = Blueprint("negotiation", __name__, url_prefix="/meetings")

from cop.negotiation import labels, minutes  # noqa: E402,F401
from cop.negotiation.texts import views  # noqa: E402,F401
