"""The registry of ready-to-use industrial sites of a COP: public list, site pages, the managers' forms."""
from flask import Blueprint

bp = Blueprint("sites", __name__, url_prefix="/cop")

from cop.sites import views  # noqa: E402,F401
