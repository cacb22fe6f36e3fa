"""Keep the publication stamps in step with the data: a committed write renews the stamps of what it concerns.

A transaction that flushed (or bulk-updated) rows that cached pages show renews, just before it commits and in the
same transaction, the token of each scope those rows concern (`cop/public/scopes.py`): readers either see the old
data and the old tokens, or both new. The stamp rows are locked only between that last statement and the commit,
always in the same order, so writers cannot deadlock on them.
"""
import secrets
import threading

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cop.db import utcnow
from cop.public import scopes
from cop.public.models import PublicationStamp

_SCOPES = "cop_public_scopes"
_TABLE = PublicationStamp.__table__
GLOBAL = "global"
#: Called with the session and the scopes just before their stamps are renewed, in the same transaction: what is
#: kept with the data from those writes is recomputed there (`cop.commitments.filing_sums`).
_BEFORE_RENEW: list = []


def _mark(session: Session, found: set[str]) -> None:
    """Add scopes to those this transaction must renew."""
    if found:
        session.info.setdefault(_SCOPES, set()).update(found)


def _after_flush(session: Session, flush_context) -> None:
    """Remember which scopes this transaction's writes concern."""
    found: set[str] = set()
    for obj in (*session.new, *session.deleted):
        found |= scopes.of_object(session, obj)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=True):
            found |= scopes.of_object(session, obj, dirty=True)
    _mark(session, found)


def _do_orm_execute(state) -> None:
    """Bulk ORM updates, inserts and deletes count as writes too (to any COP of their table)."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_arguments.get("mapper")
    table = getattr(mapper, "local_table", None)
    _mark(state.session, scopes.of_table(getattr(table, "name", None), state.statement))


def renew(connection, names) -> None:
    """Give each scope a new token (creating its row), in a fixed order."""
    now = utcnow()
    rows = [{"scope": name, "token": secrets.token_hex(16), "changed_dt": now} for name in sorted(names)]
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(_TABLE).values(rows)
    fresh = {"token": statement.excluded.token, "changed_dt": statement.excluded.changed_dt}
    connection.execute(statement.on_conflict_do_update(index_elements=["scope"], set_=fresh))


def before_renew(hook) -> None:
    """Call hook(session, scopes) before each renewal of the stamps, in the writing transaction."""
    if hook not in _BEFORE_RENEW:
        _BEFORE_RENEW.append(hook)


def pending(session: Session) -> set[str]:
    """The scopes this session's transaction has written so far (flushed first), to be renewed at its commit."""
    session.flush()
    return set(session.info.get(_SCOPES, ()))


def _before_commit(session: Session) -> None:
    """Renew the stamps, as the last write of a transaction that changed what cached pages show."""
    session.flush()
    names = session.info.pop(_SCOPES, None)
    if names:
        for hook in _BEFORE_RENEW:
            hook(session, names)
        renew(session.connection(), names)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    """A rolled-back transaction published nothing; a savepoint rolled back leaves what was written before it, whose
    scopes are still to renew (those of its own writes are renewed for nothing)."""
    if not previous_transaction.nested:
        session.info.pop(_SCOPES, None)


_readers = threading.local()


def _reader(engine: Engine):
    """This thread's own autocommit DBAPI connection for reading the stamps, opened on first use."""
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


#: Scopes found through reference data, in the same round trip: their SQL (parameters as {m}) and how many.
LOOKUPS = {
    # A territory's (kind, code) parties: each one's own rows, what its COP's territory pages all show, its shares.
    "territory": ("scope IN (SELECT kinds.prefix || CAST(CASE WHEN kinds.prefix = 'party:' THEN party.id"
                  " ELSE party.conference_id END AS VARCHAR(20)) FROM party"
                  " JOIN territory ON territory.id = party.territory_id"
                  " CROSS JOIN (SELECT 'party:' AS prefix UNION ALL SELECT 'party-common:' UNION ALL"
                  " SELECT 'shares:') AS kinds WHERE territory.kind = {m} AND territory.code = {m})"),
    # One filière of a COP (conference id, sector code).
    "sector": ("scope = (SELECT 'filing:' || {m} || ':' || CAST(sector.id AS VARCHAR(20)) FROM sector"
               " WHERE sector.code = {m})"),
}


def _query(engine: Engine, count: int, lookup: str | None = None) -> str:
    """SELECT of the tokens of `count` scopes, in the driver's parameter style; with a `lookup` (`LOOKUPS`), also
    those it finds, in the same round trip."""
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    # Only the driver's parameter markers and the fixed LOOKUPS are put in the text; values travel as parameters.
    sql = f"SELECT scope, token FROM publication_stamp WHERE scope IN ({', '.join([mark] * count)})"  # nosec B608
    if lookup is not None:
        sql += " OR " + LOOKUPS[lookup].format(m=mark)
    return sql


def _execute(engine: Engine, sql: str, params: tuple) -> list:
    """One round trip on the thread's reader connection."""
    cursor = _reader(engine).cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []
    finally:
        cursor.close()


def _create_global(engine: Engine) -> None:
    """A database without stamps (new, emptied or restored) gets a fresh global token, so no older page matches."""
    sqlite = engine.dialect.paramstyle == "qmark"
    mark, now = ("?", utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")) if sqlite else ("%s", utcnow())
    # Only parameter markers are put in the text; the values travel as parameters.
    _execute(engine, f"INSERT INTO publication_stamp (scope, token, changed_dt) VALUES ({mark}, {mark}, {mark}) "  # nosec B608
             "ON CONFLICT (scope) DO NOTHING", (GLOBAL, secrets.token_hex(16), now))


def _read(engine: Engine, names: tuple[str, ...], lookup: tuple | None) -> tuple[str, ...] | None:
    """The tokens of the scopes, in order ("" for a scope never written), then "scope=token" of each scope the
    lookup found, or None without a global token."""
    params = (*names, *lookup[1]) if lookup else names
    for _attempt in range(2):
        found = dict(_execute(engine, _query(engine, len(names), lookup[0] if lookup else None), params))
        if GLOBAL in found:
            extra = sorted(f"{scope}={token}" for scope, token in found.items() if scope not in names)
            return (*(found.get(name, "") for name in names), *extra)
        _create_global(engine)
    return None


def current(engine: Engine, names: tuple[str, ...] = (GLOBAL,), lookup: tuple | None = None) -> tuple[str, ...] | None:
    """The tokens of some scopes ("global" first), and with `lookup` (a name of `LOOKUPS` and its parameters) those
    it finds: a territory's parties' (`LOOKUPS`), a filière's scope in a COP; None when the database is unreachable.

    It runs on every cached page, so it skips the ORM and the pool; a broken connection is reopened once.
    """
    for _attempt in range(2):
        try:
            return _read(engine, names, lookup)
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
