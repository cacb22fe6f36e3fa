"""Amendments: tabling, co-sponsors, withdrawal, the chair's decisions, provenance, stale versions, refusals."""
import threading

import pytest

from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid
from cop.meetings.models import MeetingEvent
from cop.meetings.services import run_command
from cop.negotiation.texts.models import Amendment, DraftVersion, Paragraph
from tests.negotiation.conftest import do, refused

NEW_2 = "Les parties s’engagent à réhabiliter 200 hectares de friches d’ici 2030."


def table(neg, user, paragraph=1, kind="replace", text=NEW_2, version=1, explanation="Plus ambitieux."):
    """Table an amendment and return its JSON."""
    return do(user, neg.meeting, "amendment.table", paragraph_id=neg.p[paragraph], kind=kind, text=text,
              version=version, explanation=explanation)["amendment"]


def test_a_delegate_tables_and_another_party_cosponsors(neg):
    amendment = table(neg, neg.u.lyon_delegate)
    assert (amendment["number"], amendment["party"], amendment["state"]) == (1, "Métropole de Lyon", "tabled")
    data = do(neg.u.grenoble, neg.meeting, "amendment.cosponsor", amendment_id=amendment["id"])
    assert data["amendment"]["sponsors"] == ["Grenoble-Alpes-Métropole"]
    error = refused(neg.u.lyon, neg.meeting, "amendment.cosponsor", amendment_id=amendment["id"])
    assert isinstance(error, Conflict)


@pytest.mark.parametrize("who", ["observer", "chair"])
def test_only_delegations_table_amendments(neg, who):
    error = refused(getattr(neg.u, who), neg.meeting, "amendment.table", paragraph_id=neg.p[1], kind="replace",
                    text=NEW_2, version=1)
    assert isinstance(error, Forbidden)


@pytest.mark.parametrize("args", [{"kind": "rewrite"}, {"text": ""}, {"text": "[non fermé"}, {"text": None}])
def test_malformed_amendments_are_refused(neg, args):
    base = dict(paragraph_id=neg.p[1], kind="replace", text=NEW_2, version=1)
    assert isinstance(refused(neg.u.lyon, neg.meeting, "amendment.table", **dict(base, **args)), Invalid)


def test_withdrawing_is_for_the_author_party_until_taken_up(neg):
    amendment = table(neg, neg.u.lyon)
    error = refused(neg.u.grenoble, neg.meeting, "amendment.withdraw", amendment_id=amendment["id"])
    assert isinstance(error, Forbidden)
    do(neg.u.chair, neg.meeting, "amendment.take_up", amendment_id=amendment["id"])
    error = refused(neg.u.lyon_delegate, neg.meeting, "amendment.withdraw", amendment_id=amendment["id"])
    assert isinstance(error, Conflict) and "pris en considération" in error.message
    other = table(neg, neg.u.lyon, paragraph=2, text="Un bilan tous les deux ans.")
    assert do(neg.u.lyon_delegate, neg.meeting, "amendment.withdraw",
              amendment_id=other["id"])["amendment"]["state"] == "withdrawn"


@pytest.mark.parametrize("who", ["lyon", "lyon_delegate", "observer"])
def test_a_delegation_cannot_integrate(neg, who):
    amendment = table(neg, neg.u.grenoble)
    for name in ("amendment.integrate", "amendment.bracket", "amendment.set_aside", "amendment.take_up"):
        assert isinstance(refused(getattr(neg.u, who), neg.meeting, name, amendment_id=amendment["id"]), Forbidden)
    assert db.session.get(Amendment, amendment["id"]).state == "tabled"


def test_integration_makes_a_version_that_names_the_proposer(neg):
    amendment = table(neg, neg.u.lyon)
    do(neg.u.grenoble, neg.meeting, "amendment.cosponsor", amendment_id=amendment["id"])
    data = do(neg.u.chair, neg.meeting, "amendment.integrate", amendment_id=amendment["id"])
    assert data["amendment"]["state"] == "integrated" and data["version"] == 2
    assert data["reason"] == "Amendement 1 (Métropole de Lyon, avec Grenoble-Alpes-Métropole) intégré au § 2"
    assert data["draft"]["paragraphs"][1]["text"] == NEW_2
    version = db.session.scalar(db.select(DraftVersion).filter_by(draft_id=neg.draft.id, number=2))
    assert version.amendment_id == amendment["id"]


def test_insert_and_delete_renumber_the_text(neg):
    inserted = table(neg, neg.u.annecy, paragraph=0, kind="insert_after", text="Les filières sont prioritaires.")
    deleted = table(neg, neg.u.grenoble, paragraph=2, kind="delete", text="ignored")
    do(neg.u.chair, neg.meeting, "amendment.integrate", amendment_id=inserted["id"])
    data = do(neg.u.chair, neg.meeting, "amendment.integrate", amendment_id=deleted["id"])
    assert [(p["number"], p["text"][:14]) for p in data["draft"]["paragraphs"]] == [
        (1, "La COP fixe l’"), (2, "Les filières s"), (3, "Les parties s’")]
    assert data["reason"] == "Amendement 2 (Grenoble-Alpes-Métropole) intégré au § 4"


def test_bracketing_puts_the_proposal_next_to_the_text(neg):
    replace = table(neg, neg.u.lyon)
    data = do(neg.u.chair, neg.meeting, "amendment.bracket", amendment_id=replace["id"])
    text = data["draft"]["paragraphs"][1]["text"]
    assert text == f"[Les parties s’engagent à réhabiliter 150 hectares de friches. / {NEW_2}]"
    assert data["draft"]["is_clean"] is False and data["amendment"]["state"] == "bracketed"


def test_two_amendments_on_one_paragraph_one_wins_one_conflicts_nothing_lost(neg):
    first = table(neg, neg.u.lyon)
    second = table(neg, neg.u.grenoble, text="Les parties réhabilitent 180 hectares de friches.")
    do(neg.u.chair, neg.meeting, "amendment.integrate", amendment_id=first["id"])
    error = refused(neg.u.chair, neg.meeting, "amendment.integrate", amendment_id=second["id"])
    assert isinstance(error, Conflict)
    assert "Amendement 1 (Métropole de Lyon) intégré au § 2" in error.message
    assert db.session.get(Amendment, second["id"]).state == "tabled"
    # The author rewrites against the current text; then it can be integrated.
    stale = refused(neg.u.grenoble, neg.meeting, "amendment.revise", amendment_id=second["id"], version=1,
                    text="x")
    assert isinstance(stale, Conflict)
    do(neg.u.grenoble, neg.meeting, "amendment.revise", amendment_id=second["id"], version=2,
       text="Les parties réhabilitent 250 hectares de friches.")
    data = do(neg.u.chair, neg.meeting, "amendment.integrate", amendment_id=second["id"])
    assert data["draft"]["paragraphs"][1]["text"] == "Les parties réhabilitent 250 hectares de friches."


def test_tabling_against_a_stale_version_is_refused(neg):
    do(neg.u.chair, neg.meeting, "text.edit", paragraph_id=neg.p[1], version=1, text="Texte de compromis.")
    error = refused(neg.u.lyon, neg.meeting, "amendment.table", paragraph_id=neg.p[1], kind="replace",
                    text=NEW_2, version=1)
    assert isinstance(error, Conflict) and "§ 2 reformulé par la présidence" in error.message
    assert db.session.scalar(db.select(db.func.count(Amendment.id))) == 0


def test_concurrent_integrations_one_wins_one_conflicts(neg, app):
    first, second = table(neg, neg.u.lyon), table(neg, neg.u.grenoble, text="Autre rédaction du § 2.")
    chair_id, meeting_id = neg.u.chair.id, neg.meeting.id
    barrier, outcomes = threading.Barrier(2), {}

    def integrate(amendment_id):
        with app.app_context():
            from cop.auth.models import User
            user = db.session.get(User, chair_id)
            barrier.wait()
            try:
                run_command(meeting_id, user, "amendment.integrate", {"amendment_id": amendment_id})
                db.session.commit()
                outcomes[amendment_id] = "ok"
            except Conflict as error:
                db.session.rollback()
                outcomes[amendment_id] = error.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=integrate, args=(a["id"],)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(v == "ok" for v in outcomes.values()) == [False, True]
    db.session.expire_all()
    states = {a.id: a.state for a in db.session.scalars(db.select(Amendment))}
    winner = next(k for k, v in outcomes.items() if v == "ok")
    loser = next(k for k in outcomes if k != winner)
    assert states == {winner: "integrated", loser: "tabled"}
    assert db.session.get(Paragraph, neg.p[1]).version == 2
    seqs = db.session.scalars(db.select(MeetingEvent.seq).filter_by(meeting_id=meeting_id)
                              .order_by(MeetingEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))
