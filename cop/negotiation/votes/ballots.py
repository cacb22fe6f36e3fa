"""Secret ballots: no table, event or log tells how a party voted, while anyone sees who took part.

Blank ballots are made when the vote opens, with random ids and no party nor time. Every cast or change rewrites all
of the vote's ballots in one statement, laid out by choice then receipt hash over the rows taken in id order: neither
the order of the rows, their ids, their times nor (on PostgreSQL) the transaction that last wrote them tell whose
ballot is whose. Only the SHA-256 of a receipt that the voter's client draws and keeps is stored, so that this client
alone can change its vote; SQL parameters never reach the logs (`hide_parameters`).
"""
import hashlib
import re
import secrets
from typing import Optional

from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid
from cop.negotiation.votes.models import Ballot, Vote

RECEIPT = re.compile(r"[A-Za-z0-9_-]{22,128}")


def new_receipt() -> str:
    """A receipt for a voter whose client did not bring one (the web door)."""
    return secrets.token_urlsafe(24)


def receipt_hash(receipt) -> str:
    """The only trace of a receipt the server keeps."""
    if not isinstance(receipt, str) or not RECEIPT.fullmatch(receipt):
        raise Invalid("Le reçu de vote est illisible (22 à 128 caractères A-Z, a-z, 0-9, - ou _).")
    return hashlib.sha256(receipt.encode()).hexdigest()


def write_ballot(vote: Vote, digest: str, choice: Optional[str] = None, is_new: bool = False) -> str:
    """Write one secret ballot (new, or changed by its receipt's hash) by rewriting every ballot of the vote.

    The contents are laid out sorted by choice then receipt hash over the rows taken in id order, so which row holds
    which ballot depends only on the choices and on random hashes and ids, never on who voted or when; and every
    row carries the mark of the last writing transaction, not of the one that filled it. Returns the former choice.
    """
    table = Ballot.__table__
    rows = db.session.execute(db.select(table.c.id, table.c.choice, table.c.receipt_hash)
                              .where(table.c.vote_id == vote.id).order_by(table.c.id)).all()
    contents = {r.receipt_hash: r.choice for r in rows if r.receipt_hash is not None}
    if is_new == (digest in contents):
        raise (Conflict("Ce reçu a déjà servi.") if is_new else
               Forbidden("Ce reçu ne correspond à aucun bulletin de ce vote."))
    former = contents.get(digest, "")
    if choice is not None:
        contents[digest] = choice
    layout = list(zip((row.id for row in rows), sorted(contents.items(), key=lambda c: (c[1], c[0]))))
    _write_layout(vote.id, layout)
    return former


def _write_layout(vote_id: int, layout: list[tuple[str, tuple[str, str]]]) -> None:
    """One UPDATE rewriting every row of the vote: [(row id, (hash, choice))] filled, the other rows blank.

    Plain SQL with the driver's placeholders: a statement whose shape changes with every ballot would cost more to
    build through the SQL expression language than to run.
    """
    mark = "?" if db.session.get_bind().dialect.paramstyle == "qmark" else "%s"
    whens = " ".join([f"WHEN {mark} THEN {mark}"] * len(layout))
    sql = (f"UPDATE ballot SET receipt_hash = CASE id {whens} ELSE NULL END, "
           f"choice = CASE id {whens} ELSE NULL END WHERE vote_id = {mark}")
    params = [v for row_id, (digest, _) in layout for v in (row_id, digest)]
    params += [v for row_id, (_, choice) in layout for v in (row_id, choice)]
    db.session.connection().exec_driver_sql(sql, tuple(params) + (vote_id,))
