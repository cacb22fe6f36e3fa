"""Contracts: a territory's pledges in one filière with the support granted and the milestones, frozen with their
SHA-256, signed by the territory, the Region and the State, and followed by the funds disbursed."""
from flask import Blueprint

bp = Blueprint("contracts", __name__, url_prefix="/cop")

from cop.contracts import views  # noqa: E402,F401
