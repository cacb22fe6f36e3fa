"""The live server's database connections: checked before use only when they have been idle.

The web app pings every connection it takes from the pool (`pool_pre_ping`): one round trip per request, so that the
first request after a database restart finds a live connection. A live process takes a connection for every command,
often a few milliseconds after the last one; there the ping was one round trip of the ~11 of a command's transaction.
Here a connection idle for more than COP_LIVE_PING_IDLE_SECONDS is pinged when taken (a dead one is replaced at
once), one used more recently is not — and a command whose connection turns out to have been cut before it committed
runs once more on a new connection (`cop.live.work`), so that the first command after a restart still succeeds
whenever the restart happened.
"""
import time

from flask import Flask
from sqlalchemy import event, exc

from cop import create_app
from cop.config import Config
from cop.db import db

#: `connection_record.info` key: when the connection was last given back to the pool (or opened).
IDLE_SINCE = "cop_idle_since"


def create_live_app(config_class: type = Config) -> Flask:
    """The app of a live process: as the web app's, without the pool's ping on every checkout, and with the ping of
    connections idle for more than COP_LIVE_PING_IDLE_SECONDS instead."""
    options = dict(config_class.SQLALCHEMY_ENGINE_OPTIONS, pool_pre_ping=False)
    live_config = type("LiveConfig", (config_class,), {"SQLALCHEMY_ENGINE_OPTIONS": options})
    app = create_app(live_config)
    with app.app_context():
        ping_when_idle(db.engine, app.config["COP_LIVE_PING_IDLE_SECONDS"])
    return app


def ping_when_idle(engine, seconds: float) -> None:
    """Ping a connection taken from the engine's pool when it has been idle for more than `seconds` (or its idle time
    is unknown); a failed ping discards it and the pool opens a new one (SQLAlchemy retries the checkout)."""

    @event.listens_for(engine.pool, "connect")
    def opened(dbapi_connection, connection_record) -> None:
        connection_record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkin")
    def given_back(dbapi_connection, connection_record) -> None:
        if connection_record is not None:
            connection_record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def taken(dbapi_connection, connection_record, connection_proxy) -> None:
        since = connection_record.info.get(IDLE_SINCE)
        if since is not None and time.monotonic() - since <= seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: the pool discards this connection and opens another
            raise exc.DisconnectionError(f"ping failed: {type(error).__name__}") from error
