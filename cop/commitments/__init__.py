"""Commitments: priority filières, versioned commitments, the progression check, CSV import, the synthesis."""
from flask import Blueprint

bp = Blueprint("commitments", __name__, url_prefix="/cop")

from cop.commitments import edit_views, import_views, review_views, views  # noqa: E402,F401

