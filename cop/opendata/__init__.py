"""Open data: every public table as CSV and JSON, described by a Frictionless data package."""
from flask import Blueprint

bp = Blueprint("opendata", __name__, url_prefix="/opendata")

from cop.opendata import views  # noqa: E402,F401
