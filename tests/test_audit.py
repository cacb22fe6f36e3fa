"""The audit chain: appended in order, verified, and every tampering caught."""
from sqlalchemy import text

from cop.audit.models import AuditEvent
from cop.audit.services import record, verify_chain
from cop.db import db


def _three_events(make):
    user = make.user()
    for n in range(3):
        record("test.action", "thing", n, actor=user, data={"n": n, "label": "élément"})
    db.session.commit()


def test_chain_verifies(make, runner):
    _three_events(make)
    assert verify_chain() == (3, None)
    result = runner.invoke(args=["cop", "audit", "verify"])
    assert result.exit_code == 0 and "3 maillons" in result.output


def test_edited_row_is_caught(make, runner):
    _three_events(make)
    db.session.execute(text("UPDATE audit_event SET data = :d WHERE seq = 2"), {"d": '{"label":"x","n":9}'})
    db.session.commit()
    checked, broken = verify_chain()
    assert (checked, broken.seq) == (1, 2) and "modifié" in broken.reason
    result = runner.invoke(args=["cop", "audit", "verify"])
    assert result.exit_code != 0 and "maillon 2" in result.output


def test_deleted_row_is_caught(make):
    _three_events(make)
    db.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    db.session.commit()
    checked, broken = verify_chain()
    assert broken.seq == 2 and "manquant" in broken.reason


def test_reordered_rows_are_caught(make):
    _three_events(make)
    db.session.execute(text("UPDATE audit_event SET seq = 100 WHERE seq = 2"))
    db.session.execute(text("UPDATE audit_event SET seq = 2 WHERE seq = 3"))
    db.session.execute(text("UPDATE audit_event SET seq = 3 WHERE seq = 100"))
    db.session.commit()
    checked, broken = verify_chain()
    assert broken.seq == 2 and "précédent" in broken.reason


def test_actor_field_tampering_is_caught(make):
    _three_events(make)
    other = make.user()
    db.session.commit()
    db.session.execute(text("UPDATE audit_event SET actor_id = :a WHERE seq = 3"), {"a": other.id})
    db.session.commit()
    assert verify_chain()[1].seq == 3


def test_seq_is_gapless(make):
    _three_events(make)
    seqs = db.session.scalars(db.select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == [1, 2, 3]
