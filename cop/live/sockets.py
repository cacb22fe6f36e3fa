"""The socket caps of the live server, held across processes through the database (`cop/live/models.py`).

Admission is one short transaction per connect: on PostgreSQL the account's and the address's advisory locks (so that
two processes admitting the same account wait for each other), one query counting the sockets of living processes,
one insert. Nothing is written per event. Each process refreshes its own row on its heartbeat and deletes the rows
of processes whose heartbeat is older than the expiry (a process killed with SIGKILL says no goodbye).
These functions run in the live server's writer thread, inside an app context.
"""
from datetime import timedelta
from typing import Optional

from sqlalchemy import delete, func, select, text, update

from cop.db import db, utcnow
from cop.live.models import LiveProcess, LiveSocket

#: PostgreSQL advisory lock class of socket admissions (the key is the account or the address, hashed).
LOCK_CLASS = 7_041_969
ACCOUNT, ADDRESS = "account", "address"


def _alive(expiry: float):
    """The processes whose heartbeat is within the expiry."""
    return select(LiveProcess.id).where(LiveProcess.seen_dt > utcnow() - timedelta(seconds=expiry))


def register(process_id: str, sockets: dict[str, tuple[Optional[int], str]]) -> None:
    """Write the process's row, and its sockets' rows (again, after it was given up for dead)."""
    db.session.execute(delete(LiveSocket).where(LiveSocket.process_id == process_id))
    db.session.execute(delete(LiveProcess).where(LiveProcess.id == process_id))
    db.session.add(LiveProcess(id=process_id))
    db.session.flush()
    db.session.add_all(LiveSocket(id=socket_id, process_id=process_id, user_id=user_id, address=address)
                       for socket_id, (user_id, address) in sockets.items())
    db.session.commit()


def heartbeat(process_id: str, expiry: float, sockets: dict[str, tuple[Optional[int], str]],
              closed: list[str]) -> None:
    """Say this process is alive (re-registering it if it was given up), forget the dead ones and `closed`."""
    found = db.session.execute(update(LiveProcess).where(LiveProcess.id == process_id)
                               .values(seen_dt=utcnow())).rowcount
    if closed:
        db.session.execute(delete(LiveSocket).where(LiveSocket.id.in_(closed)))
    dead = select(LiveProcess.id).where(LiveProcess.seen_dt <= utcnow() - timedelta(seconds=expiry))
    db.session.execute(delete(LiveSocket).where(LiveSocket.process_id.in_(dead)))
    db.session.execute(delete(LiveProcess).where(LiveProcess.id.in_(dead)))
    db.session.commit()
    if not found:
        register(process_id, sockets)


def admit(process_id: str, socket_id: str, user_id: Optional[int], address: str, per_account: int,
          per_address: int, expiry: float) -> Optional[str]:
    """Count a new socket across the living processes, or say which cap refuses it (ACCOUNT or ADDRESS)."""
    if db.session.get_bind().dialect.name == "postgresql":
        keys = ([f"u{user_id}"] if user_id is not None else []) + [f"a{address}"]  # always in this order
        for key in keys:
            db.session.execute(text("SELECT pg_advisory_xact_lock(:c, hashtext(:k))"), {"c": LOCK_CLASS, "k": key})
    alive = _alive(expiry)
    by_address = (select(func.count()).select_from(LiveSocket)
                  .where(LiveSocket.address == address, LiveSocket.process_id.in_(alive)).scalar_subquery())
    by_account = (select(func.count()).select_from(LiveSocket)
                  .where(LiveSocket.user_id == user_id, LiveSocket.process_id.in_(alive)).scalar_subquery())
    address_count, account_count = db.session.execute(select(by_address, by_account)).one()
    refusal = None
    if address_count >= per_address:
        refusal = ADDRESS
    elif user_id is not None and account_count >= per_account:
        refusal = ACCOUNT
    else:
        db.session.add(LiveSocket(id=socket_id, process_id=process_id, user_id=user_id, address=address))
    db.session.commit()  # also ends the transaction that holds the locks
    return refusal


def release(socket_ids: list[str]) -> None:
    """Forget sockets that closed."""
    db.session.execute(delete(LiveSocket).where(LiveSocket.id.in_(socket_ids)))
    db.session.commit()


def forget_process(process_id: str) -> None:
    """A process that stops cleanly takes its sockets with it."""
    db.session.execute(delete(LiveSocket).where(LiveSocket.process_id == process_id))
    db.session.execute(delete(LiveProcess).where(LiveProcess.id == process_id))
    db.session.commit()
