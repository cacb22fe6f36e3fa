"""Meetings: plenaries, contact groups and consultations, their agenda, speakers' list and record."""
from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

from cop.meetings import labels, room_views, stage, views, words  # noqa: E402,F401
