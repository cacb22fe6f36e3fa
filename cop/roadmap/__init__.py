"""The binding regional roadmap: consolidation, adoption, frozen versions, signatures, documents."""
from flask import Blueprint

bp = Blueprint("roadmap", __name__, url_prefix="/cop")

from cop.roadmap import adoption, amendment_views, manage_views, views  # noqa: E402,F401  (adoption connects the decision receiver)
