"""The notices of the negotiation, the roadmap and the follow-up, through a real SMTP server, in French and
English: each written once by its domain function, whichever door reached it."""
from datetime import datetime, timezone

import pytest

from cop.db import db
from cop.errors import DomainError
from cop.followup import services as followup
from cop.live import work
from cop.notify import worker
from cop.notify.models import OutboxMessage
from cop.roadmap import adoption, services as roadmap
from tests.negotiation.conftest import build, do, roll_call
from tests.roadmap import scenario as sc
from tests.test_mail import _path, _text, smtp  # noqa: F401 — the SMTP server fixture


def _keys(prefix: str) -> list[str]:
    return sorted(db.session.scalars(db.select(OutboxMessage.key).where(OutboxMessage.key.startswith(prefix))))


def _clean(neg):
    """Resolve the draft's bracket so that the item may be decided."""
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)


def _delegations(neg) -> set[str]:
    u = neg.u
    return {u.lyon.email, u.lyon_delegate.email, u.grenoble.email, u.grenoble_voter.email, u.annecy.email}


def _twice(door: str, client, auth, user, meeting, name: str, item) -> None:
    """Send one command twice (a resend with the same id) by the web form or the live server's door."""
    if door == "web":
        auth.login(user.email)
        form = {"name": name, "command_id": "c-1", "item_id": str(item.id)}
        for _ in range(2):
            assert client.post(f"/meetings/{meeting.id}/command", data=form).status_code == 302
        return
    for _ in range(2):
        work.apply_command(meeting.id, user.id, user.session_nonce, name, {"item_id": item.id}, "c-1")


@pytest.mark.parametrize("door", ["web", "live"])
def test_objection_window_reaches_each_delegation_once_by_either_door(make, smtp, client, auth, door):
    neg = build(make)
    neg.u.lyon.language = "en"
    db.session.commit()
    _clean(neg)
    _twice(door, client, auth, neg.u.chair, neg.meeting, "decision.propose", neg.item)
    assert len(_keys("decision.window:")) == 5
    assert worker.run_once() == {"sent": 5, "failed": 0}
    assert {m["To"] for m in smtp.messages} == _delegations(neg)           # not the observer, not the chair
    french = smtp.by_to(neg.u.annecy.email)[0]
    assert french["Subject"] == "Délai d’objection ouvert : Déclaration sur l’emploi industriel"
    assert "peut objecter jusqu’au" in _text(french) and french["Content-Language"] == "fr"
    english = smtp.by_to(neg.u.lyon.email)[0]
    assert english["Subject"] == "Objection period open: Déclaration sur l’emploi industriel"
    assert "may object until" in _text(english) and english["Content-Language"] == "en"
    auth.login(neg.u.lyon.email)
    assert client.get(_path(_text(english))).status_code == 200


@pytest.mark.parametrize("door", ["web", "live"])
def test_vote_opened_reaches_each_delegation_once_by_either_door(make, smtp, client, auth, door):
    neg = build(make, decision_mode="vote")
    neg.u.grenoble.language = "en"
    db.session.commit()
    _clean(neg)
    roll_call(neg)
    _twice(door, client, auth, neg.u.chair, neg.meeting, "vote.open", neg.item)
    assert len(_keys("decision.vote:")) == 5
    worker.run_once()
    assert {m["To"] for m in smtp.messages} == _delegations(neg)
    assert smtp.by_to(neg.u.annecy.email)[0]["Subject"] == "Vote ouvert : Déclaration sur l’emploi industriel"
    english = smtp.by_to(neg.u.grenoble.email)[0]
    assert english["Subject"] == "Vote open: Déclaration sur l’emploi industriel"
    assert "Question: Adoption du point" in _text(english)


def test_a_refused_proposal_writes_no_message(make, smtp):
    neg = build(make)                                  # the draft still has brackets: the item is not decidable
    chair = neg.u.chair
    with pytest.raises(DomainError):
        work.apply_command(neg.meeting.id, chair.id, chair.session_nonce, "decision.propose",
                           {"item_id": neg.item.id}, "c-2")
    db.session.rollback()
    assert _keys("decision.") == []
    observer = neg.u.observer                          # and neither does someone who may not propose
    _clean(neg)
    with pytest.raises(DomainError):
        work.apply_command(neg.meeting.id, observer.id, observer.session_nonce, "decision.propose",
                           {"item_id": neg.item.id}, "c-3")
    db.session.rollback()
    assert _keys("decision.") == []


def _adoption(make):
    """The roadmap scenario: a silent third party not accredited, the second head reading English."""
    s = sc.build(make)
    s.parties[2].accreditation = "invited"
    s.heads[1].language = "en"
    db.session.commit()
    return s


def test_roadmap_submitted_adopted_and_signature_asked(make, smtp, client, auth):
    s = _adoption(make)
    version = roadmap.generate_draft(s.secretariat, s.conference)
    auth.login(s.secretariat.email)
    item = adoption.submit(s.secretariat, version, s.plenary)
    db.session.commit()
    assert worker.run_once()["sent"] == 3                                  # every party's head
    assert smtp.by_to(s.heads[0].email)[0]["Subject"] == "Feuille de route soumise à la plénière : " \
        + s.conference.title
    assert smtp.by_to(s.heads[1].email)[0]["Subject"] == "Roadmap submitted to the plenary: " + s.conference.title
    smtp.messages.clear()
    sc.decide(s, item)
    db.session.commit()
    assert worker.run_once()["sent"] == 5                                  # 3 adopted + 2 accredited signers
    subjects = {(m["To"], m["Subject"]) for m in smtp.messages}
    assert (s.heads[0].email, "Signature demandée : feuille de route de " + s.conference.title) in subjects
    assert (s.heads[1].email, "Signature requested: roadmap of " + s.conference.title) in subjects
    assert (s.heads[1].email, "Roadmap adopted: " + s.conference.title) in subjects
    assert not [m for m in smtp.by_to(s.heads[2].email) if "ignature" in m["Subject"]]   # not accredited
    asked = next(m for m in smtp.by_to(s.heads[1].email) if "Signature" in m["Subject"])
    assert version.sha256 in _text(asked) and "List-Unsubscribe" not in asked               # mandatory
    adopted = next(m for m in smtp.by_to(s.heads[0].email) if "adoptée" in m["Subject"])
    assert adopted["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    auth.login(s.heads[1].email)
    assert client.get(_path(_text(asked))).status_code == 200


def test_progress_report_due_once_per_period_to_the_filers(make, smtp):
    s = _adoption(make)
    version = roadmap.generate_draft(s.secretariat, s.conference)
    sc.decide(s, adoption.submit(s.secretariat, version, s.plenary))
    s.conference.phase = "implementation"
    db.session.commit()
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()
    january = datetime(2028, 1, 10, 8, tzinfo=timezone.utc)
    assert worker.tick(january)["reminders"] == 2                          # both parties in the roadmap
    assert worker.tick(january)["reminders"] == 0                          # idempotent
    worker.run_once()
    french = smtp.by_to(s.heads[0].email)[0]
    assert french["Subject"] == f"Rapport d’avancement 2027 attendu : {s.parties[0].name}"
    assert "2 cibles" in _text(french)
    english = smtp.by_to(s.heads[1].email)[0]
    assert english["Subject"] == f"Progress report for 2027 due: {s.parties[1].name}"
    pledges = {(p["party"], p["indicator"]): p["id"] for c in version.content["chapters"] for p in c["pledges"]}
    for indicator in ("jobs-created", "investment"):
        followup.report(s.heads[0], s.parties[0], pledges[(s.parties[0].id, indicator)], 2028, "10")
    db.session.commit()
    smtp.messages.clear()
    next_year = datetime(2029, 2, 1, 8, tzinfo=timezone.utc)
    assert worker.tick(next_year)["reminders"] == 1                        # the first party reported for 2028
    worker.run_once()
    assert [m["To"] for m in smtp.messages] == [s.heads[1].email]
