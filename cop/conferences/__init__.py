"""Conferences: a region's COP, its calendar, rules, targets, parties and phases."""
from flask import Blueprint

bp = Blueprint("conferences", __name__, url_prefix="/cop")

from cop.conferences import manage, party_views, procedure_views, target_views, views  # noqa: E402,F401
