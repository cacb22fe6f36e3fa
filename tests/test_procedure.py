"""The rules of procedure: set by the presidency before the first plenary, then changed only by a plenary's
decision; every version public with its date and the decision that adopted it; the consensus quorum."""
import pytest

from cop.audit.models import AuditEvent
from cop.conferences import procedure
from cop.conferences.models import RulesVersion
from cop.db import db
from cop.errors import Conflict, Forbidden, NotFound, WrongPhase
from tests.negotiation.conftest import build, do, refused, roll_call
from tests.negotiation.test_consensus import expire
from tests.test_conferences import _settings


def test_the_presidency_sets_the_rules_before_the_first_plenary_and_each_version_is_public(client, auth, make):
    conference = make.conference(phase="call_for_commitments")
    president = make.member(conference, "presidency", user_obj=make.user(name="Claire Vasseur"))
    secretariat = make.member(conference, "secretariat")
    db.session.commit()
    auth.login(secretariat.email)
    refused_page = client.post(f"/cop/{conference.id}/reglages", data=_settings(conference, quorum_percent="1"))
    assert refused_page.status_code == 403
    assert client.post(f"/cop/{conference.id}/reglages",
                       data=_settings(conference, adoption_on="2027-05-01")).status_code == 302
    auth.logout()
    auth.login(president.email)
    db.session.refresh(conference)
    assert client.post(f"/cop/{conference.id}/reglages", data=_settings(conference, quorum_percent="60")).status_code \
        == 302
    version = db.session.scalar(db.select(RulesVersion))
    assert (version.number, version.state, version.rules["quorum_percent"]) == (1, "in_force", 60)
    auth.logout()
    page = client.get(f"/cop/{conference.id}/reglement").get_data(as_text=True)
    assert "Version 1 — en vigueur" in page and "Établie par la présidence (Claire Vasseur)" in page
    assert "Quorum : 60 % des parties accréditées." in page


def test_from_the_first_plenary_no_one_types_the_rules(client, auth, make):
    neg = build(make)
    auth.login(neg.u.chair.email)
    page = client.get(f"/cop/{neg.conf.id}/reglages").get_data(as_text=True)
    assert "ne change que par une décision de la plénière" in page and 'name="quorum_percent"' not in page
    # A hand-made post of the old form's fields changes nothing.
    client.post(f"/cop/{neg.conf.id}/reglages", data=_settings(neg.conf, quorum_percent="1", secret_ballot="y"))
    from cop.conferences.services import update_settings

    with pytest.raises(WrongPhase, match="ne change que par une décision de la plénière"):
        update_settings(neg.u.chair, neg.conf, neg.conf.version, {"quorum_percent": 1, "secret_ballot": True})
    db.session.rollback()
    db.session.refresh(neg.conf)
    assert (neg.conf.quorum_percent, neg.conf.secret_ballot) == (50, False)
    assert db.session.scalar(db.select(RulesVersion)) is None


def _adopt_other_item_by_consensus(neg) -> dict:
    """The plenary takes up the second item, calls the roll and adopts it by consensus."""
    do(neg.u.chair, neg.meeting, "item.open", item_id=neg.other.id)
    roll_call(neg, item=neg.other)
    window = do(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.other.id)["window"]
    expire(window["id"])
    return do(neg.u.chair, neg.meeting, "decision.gavel", window_id=window["id"])


def test_a_revision_is_proposed_to_the_plenary_and_its_decision_puts_it_in_force(client, auth, make):
    neg = build(make)
    with pytest.raises(Forbidden):
        procedure.propose_rules(neg.u.lyon, neg.conf, {"quorum_percent": 1}, neg.other.id)
    db.session.rollback()
    with pytest.raises(NotFound):
        procedure.propose_rules(neg.u.chair, neg.conf, {"quorum_percent": 70}, 99999999)
    db.session.rollback()
    auth.login(neg.u.chair.email)
    form = _settings(neg.conf, quorum_percent="70", secret_ballot="y", agenda_item_id=str(neg.other.id))
    assert client.post(f"/cop/{neg.conf.id}/reglement/revision", data=form).status_code == 302
    proposed = db.session.scalar(db.select(RulesVersion))
    assert proposed.state == "proposed" and proposed.agenda_item_id == neg.other.id
    db.session.refresh(neg.conf)
    assert (neg.conf.quorum_percent, neg.conf.secret_ballot) == (50, False)  # not before the plenary decides
    data = _adopt_other_item_by_consensus(neg)
    db.session.refresh(neg.conf)
    db.session.refresh(proposed)
    assert (neg.conf.quorum_percent, neg.conf.secret_ballot) == (70, True)
    assert proposed.state == "in_force" and proposed.decision_id == data["decision"]["id"]
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="conference.rules_adopted")) is not None
    auth.logout()
    page = client.get(f"/cop/{neg.conf.id}/reglement").get_data(as_text=True)
    assert "Adoptée par la décision n° 1 de la séance « Plénière de clôture »" in page
    api = client.get(f"/api/v1/conferences/{neg.conf.id}/rules").get_json()
    assert api["versions"][0]["decision"]["number"] == 1 and api["in_force"]["quorum_percent"] == 70


def test_taking_note_of_a_revision_does_not_put_it_in_force(make):
    neg = build(make)
    procedure.propose_rules(neg.u.chair, neg.conf, {"quorum_percent": 5}, neg.other.id)
    db.session.commit()
    do(neg.u.chair, neg.meeting, "item.open", item_id=neg.other.id)
    do(neg.u.chair, neg.meeting, "decision.take_note", item_id=neg.other.id)
    db.session.refresh(neg.conf)
    assert neg.conf.quorum_percent == 50
    assert db.session.scalar(db.select(RulesVersion.state)) == "proposed"


def test_no_consensus_decision_without_a_quorum_where_the_rules_say_so(make):
    neg = build(make, called=False)
    error = refused(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id)
    assert isinstance(error, Conflict) and "faites l’appel" in error.message
    roll_call(neg, [])
    error = refused(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id)
    assert "0 délégation(s) présente(s) sur 3 accréditée(s), 2 requise(s)" in error.message
    neg.conf.consensus_quorum = False
    db.session.commit()
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=1)
    assert do(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id)["quorum"] is None
