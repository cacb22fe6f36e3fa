"""Site-wide pages: home, health check, language switch."""
from flask import Blueprint

bp = Blueprint("core", __name__)

from cop.core import legal, views  # noqa: E402,F401
