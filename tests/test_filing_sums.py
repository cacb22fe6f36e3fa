"""The synthesis's sums kept with the data (filing_sum): recomputed in the transaction of each write that changes
them, for the filière written only, never half-written, in step across concurrent writers (PostgreSQL)."""
import threading
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from cop.commitments import filing_sums, submission, synthesis
from cop.commitments.models import Commitment, CommitmentVersion, FilingSum, Pledge
from cop.db import db
from cop.public.models import PublicationStamp
from tests.commitment_helpers import World, build_world, draft_input, file

TABLE = FilingSum.__table__


@pytest.fixture
def world(make):
    w = build_world(make)
    make.target(w.conference, w.sectors["automobile"], w.indicators["jobs-created"], 1000)
    db.session.commit()
    return w


def _kept(world, sector: str, indicator: str = "jobs-created"):
    """(Σ unconditional × share, Σ conditional × share, lines) kept for one line, or None."""
    row = db.session.execute(select(TABLE.c.unconditional_share, TABLE.c.conditional_share, TABLE.c.lines).where(
        TABLE.c.conference_id == world.conference.id, TABLE.c.sector_id == world.sectors[sector].id,
        TABLE.c.indicator_id == world.indicators[indicator].id)).first()
    return None if row is None else (Decimal(str(row[0])), Decimal(str(row[1])), row[2])


def _tamper(world, sector: str) -> None:
    """Write a wrong sum behind the platform's back (a Core statement on the connection: no scope is renewed)."""
    db.session.connection().execute(update(TABLE).where(
        TABLE.c.conference_id == world.conference.id, TABLE.c.sector_id == world.sectors[sector].id
    ).values(unconditional_share=Decimal("123456")))
    db.session.commit()


def test_each_committed_write_leaves_the_sums_equal_to_the_lines(world):
    commitment = file(world, world.a, "automobile", draft_input("200", "100"))
    db.session.commit()
    assert _kept(world, "automobile") == (Decimal("20000"), Decimal("10000"), 1)
    file(world, world.b, "automobile", draft_input("300", "50"))
    db.session.commit()
    assert _kept(world, "automobile") == (Decimal("50000"), Decimal("15000"), 2)
    file(world, world.a, "automobile", draft_input("250", "50"))             # A's v2 accepted replaces v1
    file(world, world.a, "automobile", draft_input("9000"), accept=False)    # v3 submitted only: not counted
    db.session.commit()
    assert _kept(world, "automobile") == (Decimal("55000"), Decimal("10000"), 2)
    submission.withdraw(world.head_a, commitment, "Projet abandonné.")
    db.session.commit()
    assert _kept(world, "automobile") == (Decimal("30000"), Decimal("5000"), 1)
    assert filing_sums.check(db.session) == []
    row = next(r for r in synthesis.rows_of(world.conference) if r.sector.code == "automobile")
    assert (row.unconditional, row.conditional, row.parties) == (Decimal("300"), Decimal("350"), 1)


def _accept(world, party) -> None:
    """The presidency accepts the version a party submitted in the automobile filière (a write of that filière only:
    declaring a priority filière, a party's row, concerns the whole COP)."""
    commitment = db.session.scalar(select(Commitment).filter_by(party_id=party.id,
                                                                sector_id=world.sectors["automobile"].id))
    submission.review(world.presidency, _submitted(commitment.id), True, "")


def _submitted(commitment_id: int) -> CommitmentVersion:
    """A commitment's version waiting for review."""
    return db.session.scalar(select(CommitmentVersion).filter_by(commitment_id=commitment_id, status="submitted"))


def _other_cop(make, world) -> World:
    """A second COP, in another region, with one party whose head files."""
    region = make.region(code="93", name="Provence-Alpes-Côte d’Azur")
    conference = make.conference(region, phase="call_for_commitments")
    party = make.party(conference, make.territory(region=region, name="CA du Var", population=50_000))
    head = make.member(conference, "head_of_delegation", party, make.user(email="chef.var@example.fr"))
    presidency = make.member(conference, "presidency", None, make.user(email="presidence.paca@example.fr"))
    return World(conference, world.sectors, world.indicators, party, None, head, None, None, None, presidency, None,
                 None)


def test_only_the_filiere_written_is_recomputed(world):
    file(world, world.a, "automobile", draft_input("200"))
    file(world, world.a, "bois", draft_input("40"))
    file(world, world.b, "automobile", draft_input("300"), accept=False)
    db.session.commit()
    _tamper(world, "bois")
    _accept(world, world.b)
    db.session.commit()
    assert _kept(world, "automobile")[0] == Decimal("50000")
    assert _kept(world, "bois")[0] == Decimal("123456")      # left in place: nothing of the bois line was written
    wrong = filing_sums.check(db.session)
    assert [key[1] for key, _, _ in wrong] == [world.sectors["bois"].id]
    filing_sums.recount(db.session.connection(), filing_sums.ALL)
    db.session.commit()
    assert filing_sums.check(db.session) == [] and _kept(world, "bois")[0] == Decimal("4000")


def test_another_cops_sums_are_left_in_place(make, world):
    other = _other_cop(make, world)
    file(other, other.a, "automobile", draft_input("70"))
    file(world, world.a, "automobile", draft_input("200"))
    file(world, world.b, "automobile", draft_input("300"), accept=False)
    db.session.commit()
    _tamper(other, "automobile")
    file(world, world.a, "bois", draft_input("40"))        # a priority declared: the whole of this COP
    _accept(world, world.b)
    db.session.commit()
    assert _kept(other, "automobile")[0] == Decimal("123456")
    assert _kept(world, "automobile")[0] == Decimal("50000")


def test_a_rolled_back_transaction_changes_no_sum(world):
    file(world, world.a, "automobile", draft_input("200"))
    db.session.commit()
    file(world, world.b, "automobile", draft_input("300"))
    db.session.rollback()
    assert _kept(world, "automobile")[0] == Decimal("20000")
    assert filing_sums.check(db.session) == []


def test_a_savepoint_rolled_back_keeps_what_was_written_before_it(world):
    """The acceptance before the savepoint is counted and its stamp renewed; the one inside it is not counted."""
    scope = f"filing:{world.conference.id}:{world.sectors['automobile'].id}"
    before = db.session.scalar(select(PublicationStamp.token).filter_by(scope=scope))
    file(world, world.a, "automobile", draft_input("200"))
    nested = db.session.begin_nested()
    file(world, world.b, "automobile", draft_input("300"))
    nested.rollback()
    db.session.commit()
    assert _kept(world, "automobile") == (Decimal("20000"), Decimal("0"), 1)
    assert filing_sums.check(db.session) == []
    assert db.session.scalar(select(PublicationStamp.token).filter_by(scope=scope)) not in (None, before)


def test_a_bulk_statement_recomputes_every_cop(make, world):
    other = _other_cop(make, world)
    file(other, other.a, "automobile", draft_input("70"))
    file(world, world.a, "automobile", draft_input("200"))
    db.session.commit()
    db.session.execute(update(Pledge).values(unconditional_value=Decimal("10")))
    db.session.commit()
    assert _kept(world, "automobile")[0] == Decimal("1000") and _kept(other, "automobile")[0] == Decimal("1000")
    assert filing_sums.check(db.session) == []


def test_a_transaction_reads_its_own_writes(world):
    """Read before the commit (a script, a test): the sums are recomputed first, the page and the API agree."""
    file(world, world.a, "automobile", draft_input("200"))
    row = next(r for r in synthesis.rows_of(world.conference) if r.sector.code == "automobile")
    assert row.unconditional == Decimal("200")
    assert synthesis.compute(world.conference).rows == synthesis.rows_of(world.conference)
    db.session.rollback()
    assert _kept(world, "automobile") is None


def test_which_filieres_the_scopes_name():
    """`wanted` reads the scopes: a filière, a whole COP, every COP; nothing for other scopes."""
    assert filing_sums.wanted({"filing:3:7", "filing:3:8", "filing:3", "cop:3", "all"}) == {3: {7, 8}}
    assert filing_sums.wanted({"filing:3:7", "filing:3:?", "filing:4:1"}) == {3: None, 4: {1}}
    assert filing_sums.wanted({"filing:3:?", "filing:3:7"}) == {3: None}
    assert filing_sums.wanted({"filing:3:7", "filing:?"}) is filing_sums.ALL
    assert filing_sums.wanted({"global", "speaking", "party:4"}) == {}


@pytest.mark.postgres_only
def test_concurrent_writers_of_one_cop_both_count(app, world):
    """A second transaction waits for the first one's recomputation to commit, then sees it: no sum lost, no
    duplicate key. (Without the advisory lock, its DELETE would not see the first one's new row, and its INSERT
    would meet it.) Here the second writer corrects a line of B's accepted version (no audit: nothing else orders
    the two transactions)."""
    file(world, world.a, "automobile", draft_input("200"), accept=False)
    file(world, world.b, "automobile", draft_input("300"))
    db.session.commit()
    line_id = db.session.scalar(select(Pledge.id).join(CommitmentVersion).join(Commitment).where(
        Commitment.party_id == world.b.id, CommitmentVersion.status == "accepted"))
    outcome = {}

    def correct_b():
        with app.app_context():
            try:
                db.session.get(Pledge, line_id).unconditional_value = Decimal("310")
                db.session.commit()
                outcome["b"] = "ok"
            except Exception as error:  # reported below
                outcome["b"] = repr(error)
                db.session.rollback()

    _accept(world, world.a)
    filing_sums.settle(db.session)        # A's recomputation done, its lock held until A commits
    other = threading.Thread(target=correct_b)
    other.start()
    other.join(0.5)                       # B waits on the lock
    db.session.commit()
    other.join(30)
    assert outcome == {"b": "ok"}
    assert _kept(world, "automobile") == (Decimal("51000"), Decimal("0"), 2)
    assert filing_sums.check(db.session) == []


def test_audit_verify_reports_a_sum_written_by_hand_and_recount_mends_it(world, runner):
    file(world, world.a, "automobile", draft_input("200"))
    db.session.commit()
    assert runner.invoke(args=["cop", "audit", "verify"]).exit_code == 0
    _tamper(world, "automobile")
    result = runner.invoke(args=["cop", "audit", "verify"])
    assert result.exit_code != 0 and "Sommes de la synthèse de la COP" in result.output and "recount" in result.output
    result = runner.invoke(args=["cop", "recount"])
    assert result.exit_code == 0 and "recalculées" in result.output
    db.session.rollback()
    assert _kept(world, "automobile")[0] == Decimal("20000")
    assert runner.invoke(args=["cop", "audit", "verify"]).exit_code == 0
