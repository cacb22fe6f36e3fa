"""Export every table to JSON lines in one consistent read, and restore such a dump into an empty database.

The format is generic over the SQLAlchemy metadata, so a table added by any feature is included without a change
here. Lines: a header (format, schema revision, audit head, tables), then per table a "table" line naming its
columns followed by one "row" line per row (values in column order), and a closing "end" line with the counts.
Values are JSON; datetimes are written in UTC with their offset, decimals as strings, bytes in base64.
"""
import base64
import json
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import IO, Iterator

from sqlalchemy import (Connection, Date, DateTime, Integer, LargeBinary, Numeric, Table, Time, bindparam, func,
                        inspect, select, text)

from cop.db import db

FORMAT, VERSION = "cop-export", 1
BATCH = 1000


class RestoreError(Exception):
    """The dump cannot be restored here (not empty, other schema, damaged file); nothing was written."""


def tables() -> list[Table]:
    """Every model table, parents before children."""
    import cop.models  # noqa: F401  (registers every feature's tables)

    return list(db.metadata.sorted_tables)


def encode(value):
    """A column value as JSON."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite keeps no zone: the application writes UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    return value


def decoder(column):
    """The function that turns a JSON value back into what the column takes."""
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Time):
        return time.fromisoformat
    if isinstance(kind, Numeric) and not isinstance(kind, Integer) and kind.asdecimal:
        return Decimal
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    return None


def _revision(conn: Connection):
    """The Alembic revision of the database, if it was migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _audit_head(conn: Connection):
    """The last link of the audit chain (seq and hash), or None."""
    from cop.audit.models import AuditEvent

    row = conn.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return {"seq": row.seq, "hash": row.hash} if row else None


def export(out: IO[str]) -> dict[str, int]:
    """Write the whole database to out, read in one repeatable-read transaction; return the row counts."""
    engine = db.engine
    with engine.connect() as conn:
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if postgres:
                conn.execute(text("SET TRANSACTION READ ONLY"))
            known = tables()
            head = {"type": "header", "format": FORMAT, "version": VERSION, "revision": _revision(conn),
                    "dialect": engine.dialect.name, "created": datetime.now(timezone.utc).isoformat(),
                    "audit_head": _audit_head(conn), "tables": [t.name for t in known]}
            _line(out, head)
            counts = {}
            for table in known:
                counts[table.name] = _export_table(conn, table, out)
            _line(out, {"type": "end", "counts": counts})
    return counts


def _export_table(conn: Connection, table: Table, out: IO[str]) -> int:
    """One table's lines, rows in primary-key order; returns the number of rows."""
    names = [c.name for c in table.columns]
    _line(out, {"type": "table", "name": table.name, "columns": names})
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(select(table).order_by(*order))
    count = 0
    for row in result:
        _line(out, {"type": "row", "r": [encode(v) for v in row]})
        count += 1
    return count


def _line(out: IO[str], item: dict) -> None:
    out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
    out.write("\n")


def read(lines: IO[str]) -> Iterator[dict]:
    """The dump's items, one per line."""
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield json.loads(line)
            except ValueError as error:
                raise RestoreError(f"Ligne {number} illisible : {error}.") from None


def restore(lines: IO[str]) -> dict[str, int]:
    """Load a dump into this database, which must hold no row; all or nothing. Returns the row counts."""
    engine = db.engine
    items = read(lines)
    head = next(items, None)
    if not head or head.get("type") != "header" or head.get("format") != FORMAT:
        raise RestoreError("Ce fichier n’est pas un export COP.")
    if head.get("version") != VERSION:
        raise RestoreError(f"Version d’export {head.get('version')} inconnue (attendue : {VERSION}).")
    known = {t.name: t for t in tables()}
    missing = [name for name in head["tables"] if name not in known]
    if missing:
        raise RestoreError("Tables inconnues de cette version de COP : " + ", ".join(missing) + ".")
    with engine.begin() as conn:
        _check_target(conn, head, known)
        counts = _load(conn, items, known)
        _reset_sequences(conn, known.values())
        if _audit_head(conn) != head["audit_head"]:
            raise RestoreError("La tête de la chaîne d’audit restaurée diffère de celle de l’export.")
    return counts


def _check_target(conn: Connection, head: dict, known: dict[str, Table]) -> None:
    """Refuse a database that holds rows, or whose schema revision differs from the dump's."""
    present = set(inspect(conn).get_table_names())
    absent = [name for name in known if name not in present]
    if absent:
        raise RestoreError("Schéma incomplet : lancez d’abord « flask --app wsgi db upgrade » (manque : "
                           + ", ".join(absent[:5]) + ").")
    revision = _revision(conn)
    if revision is not None and head.get("revision") is not None and revision != head["revision"]:
        raise RestoreError(f"Le schéma est à la révision {revision}, l’export à {head['revision']} : "
                           "mettez les deux à la même version de COP.")
    full = [t.name for t in known.values() if conn.execute(select(func.count()).select_from(t)).scalar()]
    if full:
        raise RestoreError("La base n’est pas vide (" + ", ".join(full[:5]) + ") : la restauration n’écrit que "
                           "dans une base vide.")


def _load(conn: Connection, items: Iterator[dict], known: dict[str, Table]) -> dict[str, int]:
    """Insert every row, table by table; self-references are set once the whole table is in."""
    counts: dict[str, int] = {}
    loader = None
    for item in items:
        kind = item.get("type")
        if kind == "table":
            if loader:
                counts[loader.table.name] = loader.finish()
            loader = _TableLoader(conn, known[item["name"]], item["columns"])
        elif kind == "row" and loader is not None:
            loader.add(item["r"])
        elif kind == "end":
            if loader:
                counts[loader.table.name] = loader.finish()
            if counts != item.get("counts"):
                raise RestoreError("Le nombre de lignes lues ne correspond pas à celui de l’export.")
            return counts
        else:
            raise RestoreError(f"Élément inattendu dans l’export : {kind!r}.")
    raise RestoreError("L’export est tronqué (pas de ligne de fin).")


class _TableLoader:
    """Inserts one table's rows in batches."""

    def __init__(self, conn: Connection, table: Table, names: list[str]):
        columns = {c.name: c for c in table.columns}
        unknown = [n for n in names if n not in columns]
        if unknown or set(names) != set(columns):
            raise RestoreError(f"Les colonnes de {table.name} diffèrent de ce schéma.")
        self.conn, self.table, self.names = conn, table, names
        self.decoders = [decoder(columns[n]) for n in names]
        # Columns pointing at the same table are filled afterwards: a parent may come after its child.
        self.later = [c.name for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
        self.batch: list[dict] = []
        self.deferred: list[dict] = []
        self.count = 0

    def add(self, values: list) -> None:
        row = {n: (d(v) if d and v is not None else v) for n, d, v in zip(self.names, self.decoders, values)}
        if self.later:
            self.deferred.append({**{n: row[n] for n in self.later},
                                  **{f"pk_{c.name}": row[c.name] for c in self.table.primary_key.columns}})
            row.update({n: None for n in self.later})
        self.batch.append(row)
        self.count += 1
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.conn.execute(self.table.insert(), self.batch)
            self.batch = []

    def finish(self) -> int:
        self.flush()
        if self.deferred:
            keys = self.table.primary_key.columns
            statement = (self.table.update().where(*(c == bindparam(f"pk_{c.name}") for c in keys))
                         .values({n: bindparam(n) for n in self.later}))
            self.conn.execute(statement, self.deferred)
        return self.count


def _reset_sequences(conn: Connection, known) -> None:
    """On PostgreSQL, move each serial/identity sequence past the restored ids."""
    if conn.dialect.name != "postgresql":
        return
    for table in known:
        for column in table.primary_key.columns:
            if not column.autoincrement or not isinstance(column.type, Integer):
                continue
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence:
                top = conn.execute(select(func.max(column))).scalar()
                conn.execute(text("SELECT setval(:s, :v, :called)"),
                             {"s": sequence, "v": top or 1, "called": top is not None})

