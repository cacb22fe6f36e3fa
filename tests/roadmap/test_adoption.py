"""Generating, submitting and adopting: phases, roles, the decision receiver, freezing, the frozen guard."""
import hashlib

import pytest
from sqlalchemy import text

from cop import canonical
from cop.audit.models import AuditEvent
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, WrongPhase
from cop.roadmap import adoption, freeze, services
from tests.roadmap import scenario as sc


def adopted(make, **kw):
    """A scenario whose first draft was submitted and adopted by the plenary."""
    s = sc.build(make, **kw)
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    item = adoption.submit(s.secretariat, version, s.plenary)
    sc.decide(s, item)
    db.session.commit()
    return s, version


@pytest.mark.parametrize("phase", ["preparation", "call_for_commitments", "implementation", "closed"])
def test_draft_refused_outside_its_phases(make, phase):
    s = sc.build(make, phase=phase)
    db.session.commit()
    with pytest.raises(WrongPhase):
        services.generate_draft(s.secretariat, s.conference)
    assert services.roadmap_of(s.conference) is None


def test_draft_allowed_in_negotiation_but_not_submitted(make):
    s = sc.build(make, phase="negotiation")
    db.session.commit()
    version = services.generate_draft(s.presidency, s.conference)
    with pytest.raises(WrongPhase):
        adoption.submit(s.secretariat, version, s.plenary)


@pytest.mark.parametrize("who", ["head", "observer", "nobody"])
def test_draft_refused_to_parties_and_observers(make, who):
    s = sc.build(make)
    user = {"head": s.heads[0], "observer": make.member(s.conference, "observer"), "nobody": None}[who]
    db.session.commit()
    with pytest.raises(Forbidden):
        services.generate_draft(user, s.conference)


def test_adoption_freezes_canonical_json_and_hash(make):
    s, version = adopted(make)
    assert version.state == "adopted" and version.decision_reference == "Décision 1/COP-AURA-2027"
    assert version.canonical_json == canonical.dumps(freeze.document(version))
    assert version.sha256 == hashlib.sha256(version.canonical_json.encode()).hexdigest()
    assert freeze.check(version) == []
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions == ["roadmap.draft_generated", "roadmap.submitted", "roadmap.adopted"]


def test_taking_note_does_not_adopt(make):
    s = sc.build(make)
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    item = adoption.submit(s.secretariat, version, s.plenary)
    sc.decide(s, item, outcome="noted")
    db.session.commit()
    assert version.state == "submitted" and version.sha256 is None


def test_decision_on_another_item_adopts_nothing(make):
    from cop.meetings.services import add_item

    s = sc.build(make)
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    adoption.submit(s.secretariat, version, s.plenary)
    other = add_item(s.secretariat, s.plenary, s.plenary.version, "Questions diverses")
    sc.decide(s, other)
    db.session.commit()
    assert version.state == "submitted"


def test_new_adoption_supersedes_the_previous(make):
    s, first = adopted(make)
    second = services.generate_draft(s.secretariat, s.conference)
    item = adoption.submit(s.secretariat, second, s.plenary)
    sc.decide(s, item)
    db.session.commit()
    assert (first.state, second.state, second.number) == ("superseded", "adopted", 2)
    assert freeze.check(first) == [] and first.sha256 != second.sha256


def test_adopted_version_is_never_edited(make):
    s, version = adopted(make)
    with pytest.raises(Conflict):
        services.set_framing(s.secretariat, version, s.sectors[0], "Nouveau cadrage")
    db.session.rollback()
    version.content = {**version.content, "schema": "autre"}
    with pytest.raises(Conflict):
        db.session.flush()
    db.session.rollback()
    version.sha256 = "0" * 64
    with pytest.raises(Conflict):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(Conflict):
        adoption.adopt_version(version, None, "Décision 9/COP-AURA-2027")


def test_submit_refusals(make):
    s = sc.build(make)
    db.session.commit()
    first = services.generate_draft(s.secretariat, s.conference)
    second = services.generate_draft(s.secretariat, s.conference)
    with pytest.raises(Conflict):
        adoption.submit(s.secretariat, first, s.plenary)
    s.plenary.kind = "contact_group"
    with pytest.raises(Invalid):
        adoption.submit(s.secretariat, second, s.plenary)
    s.plenary.kind = "plenary"
    with pytest.raises(Forbidden):
        adoption.submit(s.heads[0], second, s.plenary)
    item = adoption.submit(s.secretariat, second, s.plenary)
    assert second.agenda_item_id == item.id and item.meeting_id == s.plenary.id
    third = services.generate_draft(s.secretariat, s.conference)
    with pytest.raises(Conflict):
        adoption.submit(s.secretariat, third, s.plenary)


def test_framing_goes_into_the_content_and_the_next_draft(make):
    s = sc.build(make)
    db.session.commit()
    first = services.generate_draft(s.secretariat, s.conference)
    services.set_framing(s.secretariat, first, s.sectors[0], "La filière **structure** le territoire.",
                         expected=first.lock_version)
    db.session.commit()
    assert first.content["chapters"][0]["framing"].startswith("La filière")
    second = services.generate_draft(s.secretariat, s.conference)
    assert second.content["chapters"][0]["framing"] == "La filière **structure** le territoire."
    with pytest.raises(Conflict):
        services.set_framing(s.secretariat, second, s.sectors[0], "Autre", expected=second.lock_version + 7)


def test_verify_command_finds_tampering_and_says_where(make, runner):
    s, version = adopted(make)
    result = runner.invoke(args=["cop", "roadmap", "verify"])
    assert result.exit_code == 0 and "1 version(s)" in result.output
    tampered = version.canonical_json.replace('"unconditional":120', '"unconditional":12')
    assert tampered != version.canonical_json
    db.session.execute(text("UPDATE roadmap_version SET canonical_json = :j WHERE id = :id"),
                       {"j": tampered, "id": version.id})
    db.session.commit()
    db.session.expire_all()
    result = runner.invoke(args=["cop", "roadmap", "verify", "--conference", str(s.conference.id)])
    assert result.exit_code != 0
    assert "empreinte" in result.output and ".pledges[0].unconditional" in result.output
    assert "COP-AURA-2027, version 1" in result.output


def test_verify_finds_content_edited_behind_the_guard(make, runner):
    s, version = adopted(make)
    content = dict(version.content)
    content["conference"] = {**content["conference"], "title": "Autre titre"}
    db.session.execute(text("UPDATE roadmap_version SET content = :c WHERE id = :id"),
                       {"c": canonical.dumps(content), "id": version.id})
    db.session.commit()
    db.session.expire_all()
    problems = freeze.check(db.session.get(type(version), version.id))
    assert len(problems) == 1 and "$.roadmap.conference.title" in problems[0]
