"""Follow-up of the adopted roadmap: yearly progress reports, their review, the stocktake and the scorecards."""
from flask import Blueprint

bp = Blueprint("followup", __name__, url_prefix="/cop")

from cop.followup import views  # noqa: E402,F401
