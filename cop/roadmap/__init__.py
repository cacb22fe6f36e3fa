"""The binding regional roadmap: consolidation, adoption, frozen versions, signatures, amendments, documents."""
from flask import Blueprint

bp = Blueprint("roadmap", __name__, url_prefix="/cop")

# adoption and amended connect the receivers of the plenary's decisions.
from cop.roadmap import adoption, amended, amendment_views, manage_views, views  # noqa: E402,F401
