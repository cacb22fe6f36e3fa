"""The project registry of a COP: one plant counted once, confidential projects sealed then revealed."""
from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/cop")

from cop.projects import views  # noqa: E402,F401
