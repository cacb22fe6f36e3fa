"""Read-only JSON API (/api/v1): one module per resource, pagination shared in pagination.py."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from cop.api import commitments, contracts, fairshares, meetings, roadmap, sites, support, synthesis  # noqa: E402,F401
from cop.api import conferences, http, openapi, rules, territories  # noqa: E402,F401
