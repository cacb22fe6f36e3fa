"""The synthesis's sums kept with the data (table filing_sum), recomputed in the transaction of every write that
changes what a COP's filière counts.

Which writes: those whose publication scopes (`cop.public.scopes`) name a COP's filing data filière by filière:
"filing:<COP>:<filière>"; "filing:<COP>:?" (a party, the COP itself, a row whose filière cannot be told: the whole
COP); "filing:?" (a bulk statement: every COP). Just before the commit, where the stamps of those scopes are renewed
(`cop.public.stamp`), the sums of each named filière are computed again from the basis (`cop.commitments.counted`)
and replace the stored ones: a reader sees the new lines and the new sums, or neither. It is a recomputation, not
an increment: whatever the transaction did, savepoints rolled back included, the sums are what the lines add up to.

Two transactions writing to one COP recompute one after the other: a transaction-scoped advisory lock per COP
(PostgreSQL; SQLite has one writer) makes the second wait for the first's commit, and its statements then see it.
A transaction that reads the synthesis after its own writes (a script, a test) recomputes first (`settle`).
"""
from typing import Optional

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from cop.commitments.counted import basis, sums_query
from cop.commitments.models import FilingSum
from cop.conferences.models import Conference

_TABLE = FilingSum.__table__
_COLUMNS = ("conference_id", "sector_id", "indicator_id", "unconditional_share", "conditional_share", "lines",
            "unconditional_whole")
#: First key of the advisory locks of the recomputations ("COP" in ASCII); the second is the COP's id.
_LOCKS = 0x434F50
#: Every COP.
ALL = None


def wanted(names) -> Optional[dict[int, Optional[set[int]]]]:
    """From publication scopes, the filières to recompute: COP id → filière ids (None: all of the COP's), or
    ALL (None) for every COP. {} when none of them is filing data."""
    out: dict[int, Optional[set[int]]] = {}
    for name in names:
        if not name.startswith("filing:"):
            continue
        parts = name.split(":")
        if parts[1] == "?":
            return ALL
        if len(parts) != 3:  # "filing:<COP>": its filières are named beside it
            continue
        conference_id = int(parts[1])
        if parts[2] == "?":
            out[conference_id] = None
        elif out.get(conference_id, set()) is not None:
            out.setdefault(conference_id, set()).add(int(parts[2]))
    return out


def recount(connection: Connection, which: Optional[dict[int, Optional[set[int]]]]) -> None:
    """Compute again the sums of those filières (`wanted`'s answer) and replace the stored ones."""
    postgresql = connection.dialect.name == "postgresql"
    if which is ALL:
        ids = list(connection.execute(select(Conference.id).order_by(Conference.id)).scalars())
        _lock(connection, ids)
        connection.execute(delete(_TABLE))
        if ids:
            connection.execute(insert(_TABLE).from_select(_COLUMNS, sums_query(basis(ids, lateral=postgresql))))
        return
    _lock(connection, sorted(which))
    for conference_id in sorted(which):
        sectors = which[conference_id]
        gone = delete(_TABLE).where(_TABLE.c.conference_id == conference_id)
        if sectors is not None:
            gone = gone.where(_TABLE.c.sector_id.in_(sorted(sectors)))
        connection.execute(gone)
        counted = basis([conference_id], lateral=postgresql,
                        sector_ids=None if sectors is None else sorted(sectors))
        connection.execute(insert(_TABLE).from_select(_COLUMNS, sums_query(counted)))


def _lock(connection: Connection, conference_ids: list[int]) -> None:
    """Wait for the other transactions recomputing those COPs (in the order of their ids: no deadlock)."""
    if connection.dialect.name != "postgresql":
        return
    for conference_id in conference_ids:
        connection.execute(text("SELECT pg_advisory_xact_lock(:space, :id)"), {"space": _LOCKS, "id": conference_id})


def before_renew(session: Session, names) -> None:
    """The stamps' hook (`cop.public.stamp.before_renew`): recompute what this transaction's writes changed."""
    which = wanted(names)
    if which is ALL or which:
        recount(session.connection(), which)


def settle(session: Session) -> None:
    """Before reading the sums in a transaction that wrote: recompute what its writes changed so far."""
    from cop.public import stamp  # the portal's stamps know which writes this transaction made

    names = stamp.pending(session)
    if names:
        before_renew(session, names)


def check(session: Session) -> list[tuple]:
    """The stored sums that differ from the lines (empty when they agree): (COP, filière, indicator) and both."""
    ids = list(session.scalars(select(Conference.id)))
    if not ids:
        return []
    fresh = {tuple(row[:3]): tuple(row[3:]) for row in session.execute(sums_query(basis(ids)))}
    kept = {tuple(row[:3]): tuple(row[3:]) for row in session.execute(select(*_TABLE.c))}
    return [(key, kept.get(key), fresh.get(key)) for key in sorted(fresh.keys() | kept.keys())
            if not _same(kept.get(key), fresh.get(key))]


def _same(kept: Optional[tuple], fresh: Optional[tuple]) -> bool:
    """Two lines of sums equal by value: exact Decimals on PostgreSQL; on SQLite, floats summed in another order,
    equal within a ten-billionth (and a hundredth of a cent)."""
    if kept is None or fresh is None:
        return kept is fresh
    return all(abs(float(a or 0) - float(b or 0)) <= 1e-4 + 1e-10 * max(abs(float(a or 0)), abs(float(b or 0)))
               for a, b in zip(kept, fresh))
