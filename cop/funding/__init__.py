"""Funders answer the support requests: funders per COP, budgets per programme and year, answers, unlocked ambition."""
from flask import Blueprint

bp = Blueprint("funding", __name__, url_prefix="/cop")

from cop.funding import views  # noqa: E402,F401
