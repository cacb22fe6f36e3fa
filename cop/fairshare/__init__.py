"""Indicative fair shares: how each regional target is shared among the intercommunalities, as a reference."""
from flask import Blueprint

bp = Blueprint("fairshare", __name__, url_prefix="/cop")

from cop.fairshare import views  # noqa: E402,F401
