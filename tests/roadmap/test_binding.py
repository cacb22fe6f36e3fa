"""Signed pledges are binding until the next edition; the next edition starts from them."""
from decimal import Decimal

import pytest

from cop.commitments import drafts, services as filing, submission
from cop.commitments.models import Commitment
from cop.conferences.models import Membership, Party, Target
from cop.db import db
from cop.errors import Forbidden, Invalid, WrongPhase
from cop.roadmap import binding, edition, signatures
from tests.roadmap.test_adoption import adopted
from tests.factories import PASSWORD


def _revise(user, commitment, unconditional, justification=""):
    """Open a new version of the commitment, set its first pledge, submit it."""
    draft = filing.open_draft(user, commitment)
    data = drafts.snapshot(draft)
    data.pledges[0].unconditional = Decimal(unconditional)
    data.texts["justification"] = justification
    filing.save_draft(user, commitment, commitment.version, data)
    return submission.submit(user, commitment, commitment.version)


def _signed(make):
    s, version = adopted(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    s.conference.phase = "call_for_commitments"
    db.session.commit()
    return s, version


def test_lowering_a_signed_pledge_is_refused_even_with_a_justification(make):
    s, _ = _signed(make)
    commitment = s.commitments[0]
    with pytest.raises(binding.BindingPledge, match="signé 120"):
        _revise(s.heads[0], commitment, 100, justification="La conjoncture a changé.")
    db.session.rollback()
    assert [v.status for v in db.session.get(Commitment, commitment.id).versions] == ["accepted"]


def test_raising_a_signed_pledge_is_accepted(make):
    s, _ = _signed(make)
    version = _revise(s.heads[0], s.commitments[0], 150)
    db.session.commit()
    assert version.status == "submitted" and version.number == 2


def test_an_unsigned_commitment_follows_the_progression_check_only(make):
    s, _ = _signed(make)
    version = _revise(s.heads[1], s.commitments[1], 150, justification="Fermeture d’un site.")
    db.session.commit()
    assert version.is_step_back


def test_lowering_after_the_call_is_refused_too(make):
    s, _ = _signed(make)
    s.conference.phase = "implementation"
    db.session.commit()
    with pytest.raises(WrongPhase):
        _revise(s.heads[0], s.commitments[0], 100, justification="La conjoncture a changé.")


def _next_edition(make):
    s, version = adopted(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    signatures.sign(s.heads[1], version, s.parties[1], version.sha256, password=PASSWORD)
    s.conference.phase = "implementation"
    db.session.commit()
    new = edition.create_next_edition(s.presidency, s.conference, 2029)
    db.session.commit()
    return s, new


def test_next_edition_starts_from_signed_commitments(make):
    s, new = _next_edition(make)
    assert (new.code, new.phase, new.edition_year) == ("COP-AURA-2029", "preparation", 2029)
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=new.id).order_by(Party.name)).all()
    assert [p.name for p in parties] == ["CC numéro 1", "CC numéro 2", "CC numéro 3"]
    assert db.session.scalar(db.select(db.func.count(Target.id)).filter_by(conference_id=new.id)) == 3
    heads = db.session.scalars(db.select(Membership.user_id).filter_by(conference_id=new.id,
                                                                       role="head_of_delegation")).all()
    assert sorted(heads) == sorted(h.id for h in s.heads)
    carried = db.session.scalars(db.select(Commitment).filter_by(conference_id=new.id)).all()
    assert len(carried) == 3
    first = next(c for c in carried if c.party_id == parties[0].id)
    draft = first.versions[0]
    assert (draft.status, draft.number) == ("draft", 1)
    assert [(p.indicator.code, p.unconditional_value, p.conditional_value) for p in draft.pledges] == [
        ("jobs-created", 120, 30), ("investment", Decimal("1500000.50"), 0)]
    assert draft.support_requests[0].funder == "state" and draft.sites[0].hectares == Decimal("12.5")


def test_progression_check_applies_across_editions(make):
    s, new = _next_edition(make)
    new.phase = "call_for_commitments"
    db.session.commit()
    party = db.session.scalar(db.select(Party).filter_by(conference_id=new.id, name="CC numéro 1"))
    commitment = db.session.scalar(db.select(Commitment).filter_by(party_id=party.id))
    draft = drafts.current_draft(commitment)
    data = drafts.snapshot(draft)
    data.pledges[0].unconditional = Decimal(90)
    filing.save_draft(s.heads[0], commitment, commitment.version, data)
    db.session.commit()
    with pytest.raises(Invalid, match="justification"):
        submission.submit(s.heads[0], commitment, commitment.version)
    db.session.rollback()
    draft = drafts.current_draft(commitment)
    data = drafts.snapshot(draft)
    data.texts["justification"] = "Nouvelle édition : le site de Meximieux ferme."
    filing.save_draft(s.heads[0], commitment, commitment.version, data)
    version = submission.submit(s.heads[0], commitment, commitment.version)
    db.session.commit()
    assert version.is_step_back and version.status == "submitted"


@pytest.mark.parametrize("case", ["not_presidency", "wrong_phase", "earlier_year", "twice"])
def test_next_edition_refusals(make, case):
    s, version = adopted(make)
    s.conference.phase = "adoption" if case == "wrong_phase" else "implementation"
    db.session.commit()
    user = s.heads[0] if case == "not_presidency" else s.presidency
    year = 2026 if case == "earlier_year" else 2029
    if case == "twice":
        edition.create_next_edition(s.presidency, s.conference, 2029)
        db.session.commit()
        year = 2031
    with pytest.raises((Forbidden, WrongPhase, Invalid, Exception)) as caught:
        edition.create_next_edition(user, s.conference, year)
    expected = {"not_presidency": 403, "wrong_phase": 409, "earlier_year": 422, "twice": 409}[case]
    assert caught.value.status == expected


@pytest.mark.parametrize("unconditional, findings", [(150, 0), (120, 0), (100, 2)])
def test_submission_and_binding_measure_progression_with_one_rule(make, unconditional, findings):
    s, _ = _signed(make)
    commitment = s.commitments[0]
    draft = filing.open_draft(s.heads[0], commitment)
    data = drafts.snapshot(draft)
    data.pledges[0].unconditional = Decimal(unconditional)
    filing.save_draft(s.heads[0], commitment, commitment.version, data)
    signed = binding.signed_version(commitment)
    backs, lowered = submission.step_backs(draft, signed), binding.lowered(draft, signed)
    assert len(backs) == len(lowered) == findings
    assert [b.split(" au lieu de ")[0] for b in backs] == [w.split(", signé ")[0] for w in lowered]
