"""Accounts: login, logout, invitations, password reset."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from cop.auth import link_views, views  # noqa: E402,F401
