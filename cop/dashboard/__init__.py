"""The landing page after login: what waits for each person, role by role."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from cop.dashboard import views  # noqa: E402,F401
