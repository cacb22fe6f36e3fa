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


class Forgotten(Exception):
    """This process's row is gone: another process's heartbeat gave it up for dead (its own heartbeat was late), and
    its sockets' rows went with it. It must register again, with its sockets, before admitting more."""


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


def admit_many(process_id: str, requests: list[tuple[str, Optional[int], str]], per_account: int, per_address: int,
               expiry: float) -> list[Optional[str]]:
    """admit() for several sockets (socket id, account, address) in one transaction, in order: the same locks (every
    account key, then every address key, each sorted: the order of admit()), one count per account and address,
    one insert per admitted socket. A storm of 2,000 reconnections costs a few transactions, not 2,000."""
    if db.session.get_bind().dialect.name == "postgresql":
        keys = sorted({f"u{u}" for _, u, _ in requests if u is not None}) + sorted({f"a{a}" for _, _, a in requests})
        for key in keys:
            db.session.execute(text("SELECT pg_advisory_xact_lock(:c, hashtext(:k))"), {"c": LOCK_CLASS, "k": key})
    # Held (FOR SHARE) until the commit: a peer cannot give this process up between this check and the inserts.
    mine = select(LiveProcess.id).where(LiveProcess.id == process_id).with_for_update(read=True, key_share=True)
    if db.session.scalar(mine) is None:
        db.session.rollback()
        raise Forgotten(process_id)
    alive = _alive(expiry)
    addresses = {a for _, _, a in requests}
    users = {u for _, u, _ in requests if u is not None}
    by_address = dict(db.session.execute(
        select(LiveSocket.address, func.count()).where(LiveSocket.address.in_(addresses),
                                                      LiveSocket.process_id.in_(alive)).group_by(LiveSocket.address)
    ).all())
    by_account = dict(db.session.execute(
        select(LiveSocket.user_id, func.count()).where(LiveSocket.user_id.in_(users),
                                                      LiveSocket.process_id.in_(alive)).group_by(LiveSocket.user_id)
    ).all()) if users else {}
    answers: list[Optional[str]] = []
    for socket_id, user_id, address in requests:
        if by_address.get(address, 0) >= per_address:
            answers.append(ADDRESS)
        elif user_id is not None and by_account.get(user_id, 0) >= per_account:
            answers.append(ACCOUNT)
        else:
            answers.append(None)
            by_address[address] = by_address.get(address, 0) + 1
            if user_id is not None:
                by_account[user_id] = by_account.get(user_id, 0) + 1
            db.session.add(LiveSocket(id=socket_id, process_id=process_id, user_id=user_id, address=address))
    db.session.commit()  # also ends the transaction that holds the locks
    return answers


def release(socket_ids: list[str]) -> None:
    """Forget sockets that closed."""
    db.session.execute(delete(LiveSocket).where(LiveSocket.id.in_(socket_ids)))
    db.session.commit()


def forget_process(process_id: str) -> None:
    """A process that stops cleanly takes its sockets with it."""
    db.session.execute(delete(LiveSocket).where(LiveSocket.process_id == process_id))
    db.session.execute(delete(LiveProcess).where(LiveProcess.id == process_id))
    db.session.commit()
