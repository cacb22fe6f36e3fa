"""An attacker with the database files, or a backup, after a secret vote cannot tell how any party voted.

The attacker knows the public order of the `vote.cast` events (Lyon, Grenoble, Annecy, then Lyon changes) and
reads the files as they are on disk: SQLite's database and -wal bytes; PostgreSQL's heap pages (dead tuples
included, through pageinspect), its WAL segments and a pg_dump. During the vote the key sealing the ballots is on
disk (the scan finds it: it works); after the close it is nowhere, and no version of the vote row ever held a
running count that the order of casts would decode.
"""
import os
import subprocess

from sqlalchemy import text

from cop.db import db
from cop.negotiation.votes.ballots import new_receipt
from cop.negotiation.votes.models import Ballot, BallotKey, Vote
from tests.negotiation.conftest import roll_call, build, do

ORDER = (("lyon", "yes"), ("grenoble", "no"), ("annecy", "abstain"))


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _vote(make):
    """A secret double-majority vote, three casts and a change; returns (neg, vote id, key, ciphertexts)."""
    neg = build(make, decision_mode="vote", secret_ballot=True, vote_weighting="double_majority")
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    roll_call(neg)
    vote_id = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]["id"]
    receipts = {}
    for who, choice in ORDER:
        receipts[who] = new_receipt()
        do(getattr(neg.u, who), neg.meeting, "vote.cast", vote_id=vote_id, choice=choice, receipt=receipts[who])
    do(neg.u.lyon, neg.meeting, "vote.change", vote_id=vote_id, choice="no", receipt=receipts["lyon"])
    key = db.session.scalar(db.select(BallotKey.key).filter_by(vote_id=vote_id))
    sealed = db.session.scalars(db.select(Ballot.sealed).filter_by(vote_id=vote_id)).all()
    assert key and len(sealed) == 4 and len({len(s) for s in sealed}) == 1  # one length whatever the choice
    return neg, vote_id, bytes(key), [bytes(s) for s in sealed]


def _sqlite_files() -> bytes:
    """The bytes of the database file and of its -wal, as an attacker copying the disk gets them.

    Read by another process, as an attacker would: closing a file descriptor of the database in this process would
    drop every POSIX lock SQLite holds on it here (and let a closing connection delete the -wal others still use).
    """
    path = db.session.get_bind().url.database
    names = [name for name in (path, path + "-wal") if os.path.exists(name)]
    return subprocess.run(["cat", *names], capture_output=True, check=True, timeout=60).stdout


def _pg_pages(table: str) -> bytes:
    """Every raw page of a table, dead tuples and free space included (pageinspect)."""
    db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    pages = db.session.scalar(text("SELECT pg_relation_size(:t) / current_setting('block_size')::int"), {"t": table})
    return b"".join(bytes(db.session.scalar(text("SELECT get_raw_page(:t, :n)"), {"t": table, "n": n}))
                    for n in range(pages))


def _pg_wal_since(minutes: int = 5) -> bytes:
    """The WAL segments written in the last minutes, read by the server itself (pg_read_binary_file)."""
    names = db.session.scalars(text("SELECT name FROM pg_ls_waldir() WHERE modification > now() - "
                                    "make_interval(mins => :m) AND name ~ '^[0-9A-F]{24}$'"), {"m": minutes}).all()
    return b"".join(bytes(db.session.scalar(text("SELECT pg_read_binary_file('pg_wal/' || :n)"), {"n": n}))
                    for n in names)


def _pg_dump() -> bytes:
    """A logical backup of the whole database, as an operator takes it after the close."""
    url = db.session.get_bind().url
    return subprocess.run(["pg_dump", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432),
                           "-U", url.username or "postgres", url.database], capture_output=True, check=True,
                          timeout=120).stdout


def _vote_row_versions(vote_id: int) -> list[tuple]:
    """Every version of the vote's row still in its heap pages, live or dead: its six counters."""
    columns = ("yes_count", "no_count", "abstain_count", "yes_population", "no_population", "abstain_population")
    attnums = dict(db.session.execute(text("SELECT attname, attnum FROM pg_attribute WHERE attrelid = 'vote'::regclass"
                                           " AND attnum > 0")).all())
    pages = db.session.scalar(text("SELECT pg_relation_size('vote') / current_setting('block_size')::int"))
    versions = []
    for n in range(pages):
        rows = db.session.execute(text("SELECT t_attrs FROM heap_page_item_attrs(get_raw_page('vote', :n), "
                                       "'vote'::regclass) WHERE t_attrs IS NOT NULL"), {"n": n}).scalars()
        for attrs in rows:
            if int.from_bytes(bytes(attrs[attnums["id"] - 1]), "little") == vote_id:
                versions.append(tuple(int.from_bytes(bytes(attrs[attnums[c] - 1]), "little", signed=True)
                                      for c in columns))
    return versions


def test_the_key_is_on_disk_during_the_vote_and_nowhere_after_the_close(make):
    neg, vote_id, key, sealed = _vote(make)
    if _postgres():
        assert key in _pg_pages("ballot_key")  # the scan finds the key while the vote is open
        assert db.session.scalar(text("SELECT relpersistence FROM pg_class WHERE relname = 'ballot_key'")) == "u"
    else:
        db.session.commit()
        assert key in _sqlite_files()
    closed = do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote_id)["vote"]
    assert closed["result"]["counts"] == {"yes": 0, "no": 2, "abstain": 1}
    db.session.commit()
    if _postgres():
        assert key not in _pg_pages("ballot_key") + _pg_pages("ballot")
        assert key not in _pg_wal_since()  # unlogged: the key never reached the WAL
        dump = _pg_dump()
        assert key not in dump and key.hex().encode() not in dump
        assert not any(s.hex().encode() in dump for s in sealed)
        # Only two versions of the vote row were ever written: at opening (all zero) and at the close (final).
        final = (0, 2, 1, 0, 1_436_354 + 450_608, 213_415)
        versions = _vote_row_versions(vote_id)
        assert final in versions and set(versions) <= {(0, 0, 0, 0, 0, 0), final}
    else:
        files = _sqlite_files()
        assert key not in files
        assert os.path.getsize(db.session.get_bind().url.database + "-wal") == 0
        assert not any(s in files for s in sealed)
    assert db.session.scalar(db.select(db.func.count()).select_from(Ballot)) == 0


def test_casting_never_writes_a_count_or_a_plain_choice(make):
    """The statements sent while parties vote carry no choice in clear and never touch the vote's row."""
    from sqlalchemy import event

    neg = build(make, decision_mode="vote", secret_ballot=True, vote_weighting="double_majority")
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    roll_call(neg)
    vote_id = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]["id"]
    sent = []
    engine = db.session.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, repr(parameters)))
    event.listen(engine, "before_cursor_execute", capture)
    try:
        for who, choice in ORDER:
            do(getattr(neg.u, who), neg.meeting, "vote.cast", vote_id=vote_id, choice=choice, receipt=new_receipt())
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    writes = [(s, p) for s, p in sent if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes and not any(s.lstrip().upper().startswith("UPDATE VOTE ") for s, _ in writes)
    for statement, params in writes:
        for choice in ("'yes'", "'no'", "'abstain'"):
            assert choice not in params, statement
    vote = db.session.get(Vote, vote_id)
    assert (vote.yes_count, vote.no_count, vote.abstain_count, vote.yes_population) == (0, 0, 0, 0)
