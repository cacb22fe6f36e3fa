"""Keep the publication stamp in step with the data: any committed write to a public table renews it.

A transaction that flushed (or bulk-updated) rows of a public table renews the stamp just before it
commits, in the same transaction: readers either see the old data and the old token, or both new.
The stamp row is locked only between that last statement and the commit, so writers cannot deadlock on it.
"""
import secrets
import threading

from sqlalchemy import event, insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cop.db import utcnow
from cop.public.models import PublicationStamp

#: Tables whose rows never show on a public page (accounts, one-use links, the stamp itself).
PRIVATE_TABLES = frozenset({"user_account", "account_token", "publication_stamp", "audit_event"})
_FLAG = "cop_public_changed"
_TABLE = PublicationStamp.__table__


def _is_public(obj) -> bool:
    """True for a mapped object stored in a public table."""
    table = getattr(type(obj), "__table__", None)
    return table is not None and table.name not in PRIVATE_TABLES


def _after_flush(session: Session, flush_context) -> None:
    """Remember that this transaction wrote public rows."""
    if any(_is_public(obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_FLAG] = True


def _do_orm_execute(state) -> None:
    """Bulk ORM updates, inserts and deletes on public tables count as writes too."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_arguments.get("mapper")
    table = getattr(mapper, "local_table", None)
    if table is None or table.name not in PRIVATE_TABLES:
        state.session.info[_FLAG] = True


def _before_commit(session: Session) -> None:
    """Renew the stamp, as the last write of a transaction that changed public data."""
    session.flush()
    if not session.info.pop(_FLAG, False):
        return
    values = {"token": secrets.token_hex(16), "changed_dt": utcnow()}
    connection = session.connection()
    if connection.execute(update(_TABLE).where(_TABLE.c.id == 1).values(**values)).rowcount == 0:
        connection.execute(insert(_TABLE).values(id=1, **values))


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    """A rolled-back transaction published nothing."""
    session.info.pop(_FLAG, None)


_CURRENT = "SELECT token FROM publication_stamp WHERE id = 1"
_readers = threading.local()


def _reader(engine: Engine):
    """This thread's own autocommit DBAPI connection for reading the stamp, opened on first use."""
    connections = _readers.__dict__.setdefault("by_engine", {})
    connection = connections.get(id(engine))
    if connection is None:
        connection = engine.raw_connection()
        driver = connection.driver_connection
        connection.detach()  # ours for the thread's life: no pool checkout, no pre-ping, one round trip per read
        if engine.dialect.name == "sqlite":
            driver.isolation_level = None  # autocommit: every read sees the last commit
        else:
            driver.autocommit = True
        connections[id(engine)] = connection
    return connection


def _read(engine: Engine) -> str | None:
    """One round trip: the token, or None."""
    cursor = _reader(engine).cursor()
    try:
        cursor.execute(_CURRENT)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return row[0] if row else None


def current(engine: Engine) -> str | None:
    """The current token, or None while nothing was published through the ORM (or the database is unreachable).

    It runs on every cached page, so it skips the ORM and the pool; a broken connection is reopened once.
    """
    for _attempt in range(2):
        try:
            return _read(engine)
        except engine.dialect.loaded_dbapi.Error:
            broken = _readers.__dict__.get("by_engine", {}).pop(id(engine), None)
            if broken is not None:
                broken.invalidate()
    return None


def install() -> None:
    """Listen to every session (Flask's, the live server's, the CLI's)."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
