"""Fixtures: one app and schema per run, an empty database for every test, factories."""
import os

import pytest

from cop import create_app
from cop.auth import throttle
from cop.config import TestConfig
from cop.db import db
from tests import factories
from tests.fresh_client import FreshClient


def _database_url(tmp_path_factory) -> str:
    """PostgreSQL when COP_TEST_DATABASE_URL says so, else a SQLite file the live server can share."""
    url = os.environ.get("COP_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The application, with a fresh schema for the whole run."""
    url = _database_url(tmp_path_factory)
    config = type("RunConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    # Every request runs in its own app context, as in production: no `g` or session shared with the test.
    app.test_client_class = FreshClient
    with app.app_context():
        _reset_schema()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _reset_schema() -> None:
    """Start from an empty schema, whatever an earlier run (or an older schema) left behind."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    else:
        db.drop_all()


def _empty_tables() -> None:
    """Remove every row, leaving the schema in place.

    DELETE on small tables is far cheaper than TRUNCATE of ~40 tables; foreign-key checks are
    switched off for the clean-up only, on its own connection, so that cycles between tables don't matter.
    """
    tables = list(reversed(db.metadata.sorted_tables))
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.connect() as conn:
        if not postgres:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            if postgres:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for table in tables:
                conn.execute(table.delete())
        if not postgres:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


@pytest.fixture(autouse=True)
def app_ctx(app):
    """Each test runs inside an app context and leaves an empty database behind."""
    throttle.failures.reset()
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _empty_tables()


@pytest.fixture
def client(app):
    """A test client (CSRF is off in TestConfig; one test turns it on)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def make():
    """Factories for users, territories, conferences, parties and memberships."""
    return factories


class AuthActions:
    """Log a test client in and out."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    """Login helper bound to the test client."""
    return AuthActions(client)


def pytest_sessionfinish(session, exitstatus):
    """Under CI=true a skipped test fails the run: what CI skips, it has not checked."""
    if os.environ.get("CI", "").lower() != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped — a skipped test is a failure here.", red=True)
        session.exitstatus = 1


def pytest_configure(config):
    """Declare the markers this suite uses."""
    config.addinivalue_line("markers", "postgres_only: runs in the PostgreSQL pass only (e.g. LISTEN/NOTIFY)")


def pytest_collection_modifyitems(config, items):
    """Leave PostgreSQL-only tests out of the SQLite pass: they run, and must pass, in the PostgreSQL pass."""
    if os.environ.get("COP_TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    left_out = [item for item in items if item.get_closest_marker("postgres_only") is not None]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
