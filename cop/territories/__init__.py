"""Territories: regions, départements, EPCI and their communes."""
from flask import Blueprint

bp = Blueprint("territories", __name__, url_prefix="/territoires")

from cop.territories import views  # noqa: E402,F401
