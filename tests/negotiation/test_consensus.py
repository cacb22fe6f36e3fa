"""The consensus gavel: proposal, objection window, objections and their fate, numbered decisions, refusals."""
import threading
from datetime import timedelta

import pytest

from cop import signals
from cop.audit.models import AuditEvent
from cop.auth.models import User
from cop.db import db, utcnow
from cop.errors import Conflict, Forbidden
from cop.meetings.models import AgendaItem, Meeting, MeetingEvent
from cop.meetings.services import run_command
from cop.negotiation.decisions.models import Decision, Objection, ObjectionWindow
from cop.negotiation.texts.models import Paragraph
from cop.negotiation.decisions.timers import settle_due
from tests.negotiation.conftest import do, refused


def clean(neg):
    """Resolve the only bracket of the draft, so that it may be adopted."""
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=1)


def propose(neg, **args):
    """The chair proposes the item for adoption; return the window's JSON."""
    return do(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id, **args)["window"]


def expire(window_id):
    """Move a window's end into the past, as if its time had run out."""
    window = db.session.get(ObjectionWindow, window_id)
    window.ends_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_adopting_an_item_with_brackets_is_refused(neg):
    error = refused(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id)
    assert isinstance(error, Conflict) and "crochets (§ 1)" in error.message


def test_pending_amendments_block_the_proposal(neg):
    clean(neg)
    do(neg.u.lyon, neg.meeting, "amendment.table", paragraph_id=neg.p[1], kind="delete", version=1)
    error = refused(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id)
    assert isinstance(error, Conflict) and "n° 1" in error.message


@pytest.mark.parametrize("who", ["lyon", "lyon_delegate", "observer"])
def test_a_delegation_cannot_gavel(neg, who):
    clean(neg)
    user = getattr(neg.u, who)
    assert isinstance(refused(user, neg.meeting, "decision.propose", item_id=neg.item.id), Forbidden)
    window = propose(neg)
    expire(window["id"])
    assert isinstance(refused(user, neg.meeting, "decision.gavel", window_id=window["id"]), Forbidden)
    assert isinstance(refused(user, neg.meeting, "decision.take_note", item_id=neg.item.id), Forbidden)


def test_silence_gavels_a_numbered_decision(neg):
    clean(neg)
    received = []
    receiver = lambda decision: received.append(decision.reference)  # noqa: E731
    signals.decision_adopted.connect(receiver)
    try:
        window = propose(neg)
        assert window["ends_at"] and window["state"] == "open"
        early = refused(neg.u.chair, neg.meeting, "decision.gavel", window_id=window["id"])
        assert isinstance(early, Conflict) and "court encore" in early.message
        expire(window["id"])
        data = do(neg.u.chair, neg.meeting, "decision.gavel", window_id=window["id"])
    finally:
        signals.decision_adopted.disconnect(receiver)
    assert data["decision"]["reference"] == "Décision 1/COP-AURA-2027" and data["decision"]["mode"] == "consensus"
    assert received == ["Décision 1/COP-AURA-2027"]
    assert {p.status for p in db.session.scalars(db.select(Paragraph))} == {"adopted"}
    assert data["draft"]["version"] == 3
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="decision.adopted")).subject_type == "decision"


def test_objections_are_heads_only_and_within_the_window(neg):
    clean(neg)
    window = propose(neg)
    for who in ("observer", "lyon_delegate", "chair"):
        error = refused(getattr(neg.u, who), neg.meeting, "objection.raise", window_id=window["id"], reason="Non.")
        assert isinstance(error, Forbidden) and "chef" in error.message
    assert isinstance(refused(neg.u.lyon, neg.meeting, "objection.raise", window_id=window["id"], reason=" "),
                      Exception)
    do(neg.u.lyon, neg.meeting, "objection.raise", window_id=window["id"], reason="Le chiffre est trop bas.")
    again = refused(neg.u.lyon, neg.meeting, "objection.raise", window_id=window["id"], reason="Encore.")
    assert isinstance(again, Conflict)
    expire(window["id"])
    late = refused(neg.u.grenoble, neg.meeting, "objection.raise", window_id=window["id"], reason="Trop tard.")
    assert isinstance(late, Conflict) and "écoulé" in late.message


def test_a_standing_objection_blocks_and_stays_in_the_record(neg):
    clean(neg)
    window = propose(neg)
    do(neg.u.annecy, neg.meeting, "objection.raise", window_id=window["id"], reason="Nous ne pouvons pas suivre.")
    expire(window["id"])
    events = settle_due(neg.meeting.id)
    assert [e.name for e in events] == ["decision.blocked"] and events[0].actor_id is None
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0
    assert db.session.scalar(db.select(Objection)).state == "standing"
    assert settle_due(neg.meeting.id) == []
    # The chair may propose again after the blockage.
    assert propose(neg)["state"] == "open"


def test_withdrawn_and_overruled_objections_let_the_gavel_fall(neg):
    clean(neg)
    window = propose(neg)
    first = do(neg.u.annecy, neg.meeting, "objection.raise", window_id=window["id"], reason="Réserve.")["objection"]
    second = do(neg.u.grenoble, neg.meeting, "objection.raise", window_id=window["id"], reason="Autre.")["objection"]
    other = refused(neg.u.lyon, neg.meeting, "objection.withdraw", objection_id=first["id"])
    assert isinstance(other, Forbidden)
    do(neg.u.annecy, neg.meeting, "objection.withdraw", objection_id=first["id"])
    assert isinstance(refused(neg.u.grenoble, neg.meeting, "objection.overrule", objection_id=second["id"],
                              ruling="Non."), Forbidden)
    do(neg.u.chair, neg.meeting, "objection.overrule", objection_id=second["id"], ruling="Hors sujet.")
    expire(window["id"])
    events = settle_due()
    assert events[0].name == "decision.adopted"
    assert events[0].data["decision"]["reference"] == "Décision 1/COP-AURA-2027"
    states = [o["state"] for o in events[0].data["window"]["objections"]]
    assert states == ["withdrawn", "overruled"]


def test_decisions_are_numbered_without_gaps_and_taking_note_counts(neg):
    do(neg.u.chair, neg.meeting, "decision.take_note", item_id=neg.other.id)
    clean(neg)
    window = propose(neg, paragraph_id=neg.p[1])
    expire(window["id"])
    settle_due()
    window = propose(neg)
    expire(window["id"])
    settle_due()
    numbers = db.session.execute(db.select(Decision.number, Decision.mode, Decision.paragraph_id)
                                 .order_by(Decision.number)).all()
    assert numbers == [(1, "taken_note", None), (2, "consensus", neg.p[1]), (3, "consensus", None)]
    assert isinstance(refused(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id), Conflict)


def test_the_text_stands_still_while_adoption_is_proposed(neg):
    clean(neg)
    propose(neg)
    error = refused(neg.u.lyon, neg.meeting, "amendment.table", paragraph_id=neg.p[1], kind="delete", version=1)
    assert isinstance(error, Conflict) and "décision est en cours" in error.message
    assert isinstance(refused(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.other.id), Conflict)


def test_settling_is_journaled_once_with_a_gapless_seq(neg):
    clean(neg)
    window = propose(neg)
    expire(window["id"])
    assert len(settle_due()) == 1
    assert refused(neg.u.chair, neg.meeting, "decision.gavel", window_id=window["id"]).status == 409
    seqs = db.session.scalars(db.select(MeetingEvent.seq).order_by(MeetingEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))


def test_decisions_of_two_meetings_taken_at_once_get_consecutive_numbers(neg, app):
    second = Meeting(conference_id=neg.conf.id, kind="plenary", title="Plénière parallèle", chair_id=neg.u.chair.id,
                     starts_dt=neg.meeting.starts_dt, state="open")
    db.session.add(second)
    db.session.flush()
    item = AgendaItem(meeting_id=second.id, position=1, title="Point parallèle", state="open")
    db.session.add(item)
    db.session.commit()
    jobs = [(neg.meeting.id, neg.other.id), (second.id, item.id)]
    chair_id, barrier, errors = neg.u.chair.id, threading.Barrier(2), []

    def take_note(meeting_id, item_id):
        with app.app_context():
            try:
                user = db.session.get(User, chair_id)
                barrier.wait()
                run_command(meeting_id, user, "decision.take_note", {"item_id": item_id})
                db.session.commit()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=take_note, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(db.session.scalars(db.select(Decision.number))) == [1, 2]
