"""Amending an adopted roadmap: a party asks to lower a signed pledge, the meeting decides, version N+1 is chained to
version N by its hash, only the party concerned signs again, and `roadmap verify` checks the chain."""
import json
from datetime import timedelta

import pytest

from cop.commitments.models import CommitmentVersion
from cop.db import db, utcnow
from cop.errors import Conflict, Forbidden, Invalid, NotFound, WrongPhase
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.services import run_command
from cop.negotiation.decisions.timers import settle_due
from cop.roadmap import amendments, binding, freeze, signatures
from cop.roadmap.models import RoadmapAmendment, RoadmapVersion
from cop.rulebook.enums import AmendmentState
from tests.factories import PASSWORD
from tests.roadmap import scenario as sc
from tests.roadmap.test_adoption import adopted

REASON = "Fermeture de l’usine de Saint-Fons annoncée en mars : 30 emplois ne seront pas créés."


def signed(make, **kw):
    """An adopted roadmap signed by the two parties that filed."""
    s, version = adopted(make, **kw)
    for head, party in zip(s.heads[:2], s.parties[:2]):
        signatures.sign(head, version, party, version.sha256, password=PASSWORD)
    db.session.commit()
    return s, version


def ask(s, values=None, party=0, commitment=0, kind="closure", reason=REASON):
    """The head of the party asks to lower its jobs pledge from 120 to 90."""
    values = values if values is not None else {"jobs-created": {"unconditional": "90", "conditional": "30"}}
    return amendments.request(s.heads[party], s.parties[party], s.commitments[commitment].id, values, kind, reason)


def gavel_live(s, item_id, meeting=None):
    """The chair decides the item by consensus through the commands the live server runs (roll call, proposal,
    the objection window settled by the server's timer)."""
    meeting = meeting or s.plenary
    present = [p.id for p in s.parties]
    steps = (("item.open", {"item_id": item_id}), ("rollcall.record", {"present": present, "item_id": item_id}),
             ("decision.propose", {"item_id": item_id}))
    for name, args in steps:
        run_command(meeting.id, s.presidency, name, args)
        db.session.commit()
    settle_due(meeting.id, utcnow() + timedelta(seconds=s.conference.objection_window_seconds + 5))
    db.session.commit()


def test_an_amendment_adopted_live_makes_version_n_plus_1_chained_to_n(make, runner):
    s, v1 = signed(make)
    amendment = ask(s)
    db.session.commit()
    item = db.session.get(AgendaItem, amendment.agenda_item_id)
    assert item.meeting_id == s.plenary.id and "CC numéro 1" in item.title and item.description == REASON
    gavel_live(s, item.id)
    db.session.refresh(amendment)
    assert amendment.state == AmendmentState.ADOPTED
    v2 = amendment.result_version
    assert (v1.state, v2.state, v2.number) == ("superseded", "adopted", v1.number + 1)
    published = json.loads(v2.canonical_json)
    assert published["previous_sha256"] == v1.sha256 == v2.previous_sha256
    assert published["roadmap"]["amendment"]["parties_concerned"] == [s.parties[0].id]
    changes = published["roadmap"]["amendment"]["changes"]
    assert any("CC numéro 1" in line and "120 → 90" in line for line in changes)
    chapter = next(c for c in v2.content["chapters"] if c["sector"] == s.sectors[0].code)
    jobs = next(r for r in chapter["indicators"] if r["indicator"] == "jobs-created")
    assert (jobs["unconditional"], jobs["conditional"]) == (290, 320)  # 90 + 200, then 30 of conditions on top
    new = db.session.get(CommitmentVersion, amendment.new_commitment_version_id)
    assert new.status == "accepted" and new.is_step_back and REASON in new.justification
    assert runner.invoke(args=["cop", "roadmap", "verify"]).exit_code == 0


def test_only_the_party_concerned_signs_again(make):
    s, v1 = signed(make)
    amendment = ask(s)
    sc.decide(s, db.session.get(AgendaItem, amendment.agenda_item_id))
    db.session.commit()
    v2 = amendment.result_version
    signed_parties, missing = signatures.signatories(v2)
    assert [p.name for p, _ in signed_parties] == ["CC numéro 2"]  # its signature of version 1 holds
    assert [p.name for p in missing] == ["CC numéro 1", "CC numéro 3"]
    refusal = signatures.may_sign(s.heads[1], v2, s.parties[1])
    assert not refusal and "version 1 vaut" in str(refusal.message)
    assert signatures.may_sign(s.heads[0], v2, s.parties[0])
    signatures.sign(s.heads[0], v2, s.parties[0], v2.sha256, password=PASSWORD)
    db.session.commit()
    assert [p.name for p, _ in signatures.signatories(v2)[0]] == ["CC numéro 1", "CC numéro 2"]
    # Signed at 90 now: a later version may go back up, never below.
    assert binding.signed_version(s.commitments[0]).id == amendment.new_commitment_version_id


def test_tampering_with_version_n_breaks_the_chain(make, runner):
    s, v1 = signed(make)
    amendment = ask(s)
    sc.decide(s, db.session.get(AgendaItem, amendment.agenda_item_id))
    db.session.commit()
    v2 = amendment.result_version
    # Rewrite version 1 whole — content, JSON and hash — as an insider with database access could.
    forged = dict(v1.content, forged=True)
    document = dict(freeze.document(v1), roadmap=forged)
    from cop import canonical
    text = canonical.dumps(document)
    db.session.execute(db.update(RoadmapVersion).where(RoadmapVersion.id == v1.id).values(
        content=forged, canonical_json=text, sha256=freeze.sha256_hex(text)))
    db.session.commit()
    db.session.expire_all()
    problems = freeze.check(db.session.get(RoadmapVersion, v2.id))
    assert any("chaîne rompue" in p for p in problems)
    result = runner.invoke(args=["cop", "roadmap", "verify"])
    assert result.exit_code != 0 and "chaîne rompue" in result.output


def test_tampering_with_the_link_itself_is_caught(make):
    s, v1 = signed(make)
    amendment = ask(s)
    sc.decide(s, db.session.get(AgendaItem, amendment.agenda_item_id))
    db.session.commit()
    v2 = amendment.result_version
    db.session.execute(db.update(RoadmapVersion).where(RoadmapVersion.id == v2.id).values(previous_sha256="0" * 64))
    db.session.commit()
    db.session.expire_all()
    problems = freeze.check(db.session.get(RoadmapVersion, v2.id))
    assert any("chaîne rompue" in p for p in problems) and any("ne correspond plus" in p for p in problems)


def test_taking_note_does_not_amend(make):
    s, v1 = signed(make)
    amendment = ask(s)
    sc.decide(s, db.session.get(AgendaItem, amendment.agenda_item_id), outcome="noted")
    db.session.commit()
    assert amendment.state == AmendmentState.REJECTED and amendment.result_version_id is None
    assert v1.state == "adopted"


def test_in_implementation_the_review_session_decides(make):
    s, v1 = signed(make)
    s.conference.phase = "implementation"
    review = Meeting(conference_id=s.conference.id, kind="review", title="Session de revue 2028",
                     starts_dt=utcnow() + timedelta(days=3), chair_id=s.presidency.id, state="scheduled")
    db.session.add(review)
    db.session.commit()
    amendment = ask(s)
    db.session.commit()
    assert db.session.get(AgendaItem, amendment.agenda_item_id).meeting_id == review.id
    run_command(review.id, s.presidency, "meeting.open", {})
    db.session.commit()
    gavel_live(s, amendment.agenda_item_id, review)
    db.session.refresh(amendment)
    assert amendment.state == AmendmentState.ADOPTED and amendment.result_version.state == "adopted"


@pytest.mark.parametrize("values, message", [
    ({"jobs-created": {"unconditional": "150", "conditional": "30"}}, "ne peut dépasser"),
    ({"jobs-created": {"unconditional": "120", "conditional": "30"}}, "ne baisse aucune"),
    ({"jobs-created": {"unconditional": "-5", "conditional": "0"}}, "positif"),
    ({"jobs-created": {"unconditional": "1,200", "conditional": "0"}}, "pas un nombre"),
    ({"jobs-created": {"unconditional": "<script>", "conditional": "0"}}, "pas un nombre"),
    ({"training-places": {"unconditional": "1", "conditional": "0"}}, "pas de cible signée"),
])
def test_values_are_checked(make, values, message):
    s, v1 = signed(make)
    with pytest.raises(Invalid, match=message):
        ask(s, values)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(RoadmapAmendment.id))) == 0


@pytest.mark.parametrize("kind, reason", [("caprice", REASON), ("closure", "court"), ("closure", "x" * 2001)])
def test_reason_is_checked(make, kind, reason):
    s, v1 = signed(make)
    with pytest.raises(Invalid):
        ask(s, kind=kind, reason=reason)


def test_refusals(make):
    s, v1 = signed(make)
    with pytest.raises(Forbidden):  # another party's head
        amendments.request(s.heads[1], s.parties[0], s.commitments[0].id, {}, "closure", REASON)
    delegate = make.member(s.conference, "delegate", s.parties[0], may_file=True)
    db.session.commit()
    with pytest.raises(Forbidden):  # a delegate, even allowed to file
        amendments.request(delegate, s.parties[0], s.commitments[0].id, {}, "closure", REASON)
    with pytest.raises(NotFound):  # a commitment of another party
        ask(s, commitment=1)
    with pytest.raises(Conflict, match="n’a pas signé"):  # party 3 filed nothing and signed nothing
        amendments.request(s.heads[2], s.parties[2], s.commitments[0].id, {}, "closure", REASON)
    ask(s)
    with pytest.raises(Conflict, match="attend déjà"):
        ask(s)
    db.session.rollback()
    s.conference.phase = "closed"
    db.session.commit()
    with pytest.raises(WrongPhase):
        ask(s)


def test_no_deciding_meeting_no_request(make):
    s, v1 = signed(make)
    s.plenary.state = "closed"
    db.session.commit()
    with pytest.raises(Conflict, match="Aucune séance"):
        ask(s)


def test_request_by_page(make, client, auth):
    s, v1 = signed(make)
    url = f"/cop/{s.conference.id}/feuille-de-route/modification"
    auth.login(s.heads[0].email)
    page = client.get(url).get_data(as_text=True)
    assert 'name="u-jobs-created"' in page and "Fermeture d’un site" in page
    data = {"commitment_id": str(s.commitments[0].id), "u-jobs-created": "90", "c-jobs-created": "30",
            "u-investment": "1500000,50", "c-investment": "0", "reason_kind": "closure", "reason": REASON}
    bad = client.post(url, data=dict(data, **{"u-jobs-created": "500"}))
    assert bad.status_code == 422 and "ne peut dépasser" in bad.get_data(as_text=True)
    assert 'value="500"' in bad.get_data(as_text=True)  # what was typed is kept
    assert client.post(url, data=data).status_code == 302
    roadmap = client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(as_text=True)
    assert "Demandes de modification" in roadmap and "Inscrite à l’ordre du jour" in roadmap
    auth.login(s.heads[1].email)
    assert client.post(url, data=data).status_code == 404  # not its commitment
    auth.logout()
    assert client.post(url, data=data).status_code in (302, 401)
    assert db.session.scalar(db.select(db.func.count(RoadmapAmendment.id))) == 1


def test_chain_shown_on_the_page_and_in_the_open_data(make, client):
    s, v1 = signed(make)
    amendment = ask(s)
    sc.decide(s, db.session.get(AgendaItem, amendment.agenda_item_id))
    db.session.commit()
    page = client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(as_text=True)
    assert "Chaîne des versions adoptées" in page and v1.sha256 in page and amendment.result_version.sha256 in page
    versions = {row["number"]: row for row in client.get("/opendata/feuilles_de_route.json").get_json()}
    assert versions[2]["previous_sha256"] == versions[1]["sha256"] == v1.sha256 and not versions[1]["previous_sha256"]
    requests = client.get("/opendata/modifications_feuille_de_route.json").get_json()
    assert [(r["state"], r["reason_kind"], r["result_version_id"]) for r in requests] == [
        ("adopted", "closure", amendment.result_version_id)]
    client.get("/langue/en")
    assert "Chain of adopted versions" in client.get(f"/cop/{s.conference.id}/feuille-de-route").get_data(
        as_text=True)
