"""COP: regional conferences of the parties for industrial reconstruction."""
from pathlib import Path

from flask import Flask

from cop.config import Config
from cop.urls import IdConverter


def create_app(config_class: type = Config) -> Flask:
    """Build the Flask application: config, extensions, blueprints, CLI, filters."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_object(config_class)
    app.url_map.converters["int"] = IdConverter
    if app.config.get("COP_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["COP_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)
    _init_extensions(app)
    _register_blueprints(app)
    from cop import cli, errorpages, filters, inputguard, logs, security, staticfiles

    logs.init_app(app)
    staticfiles.init_app(app)
    filters.init_app(app)
    errorpages.init_app(app)
    inputguard.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    from cop.live import bus  # noqa: F401  (its journal hook wakes the live processes on every new event)

    return app


def _init_extensions(app: Flask) -> None:
    """Bind the database, migrations, login, CSRF and translations to the app."""
    from cop import models  # noqa: F401  (every table known to Alembic)
    from cop.db import db
    from cop.extensions import babel, csrf, install_gettext, login_manager, migrate, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_gettext(app)


def _register_blueprints(app: Flask) -> None:
    """Mount every feature's blueprint."""
    from cop.api import bp as api_bp
    from cop.auth import bp as auth_bp
    from cop.commitments import bp as commitments_bp
    from cop.conferences import bp as conferences_bp
    from cop.contracts import bp as contracts_bp
    from cop.core import bp as core_bp
    from cop.dashboard import bp as dashboard_bp
    from cop.fairshare import bp as fairshare_bp
    from cop.delegations import bp as delegations_bp
    from cop.followup import bp as followup_bp
    from cop.funding import bp as funding_bp
    from cop.identity import bp as identity_bp
    from cop.meetings import bp as meetings_bp
    from cop.negotiation import bp as negotiation_bp
    from cop.notify.views import bp as notify_bp
    from cop.opendata import bp as opendata_bp
    from cop.projects import bp as projects_bp
    from cop.public import bp as public_bp
    from cop.roadmap import bp as roadmap_bp
    from cop.seals.views import bp as seals_bp
    from cop.sites import bp as sites_bp
    from cop.territories import bp as territories_bp

    for bp in (core_bp, auth_bp, conferences_bp, territories_bp, delegations_bp, meetings_bp,
               commitments_bp, api_bp, public_bp, opendata_bp, negotiation_bp, roadmap_bp, followup_bp, identity_bp,
               dashboard_bp, fairshare_bp, projects_bp, seals_bp, sites_bp, funding_bp, contracts_bp, notify_bp):
        app.register_blueprint(bp)
