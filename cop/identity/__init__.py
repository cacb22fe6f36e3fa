"""The Region's identity on a COP's pages, its PDF and its projector: name, logo, colour, contact."""
from flask import Blueprint

bp = Blueprint("identity", __name__)

from cop.identity import views  # noqa: E402,F401
