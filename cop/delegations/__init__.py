"""Delegations: who sits for a party (and on the conference staff), invitations, accreditation, filing rights."""
from flask import Blueprint

bp = Blueprint("delegations", __name__, url_prefix="/cop/<int:conference_id>")

from cop.delegations import invitation_views, views  # noqa: E402,F401
