"""Filing rules of the commitments: who, when, what, the progression check, review and withdrawal."""
from decimal import Decimal

import pytest

from cop.commitments import drafts, services, submission
from cop.commitments.inputs import PledgeInput, SupportInput
from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector, Pledge
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, WrongPhase
from tests.commitment_helpers import build_world, draft_input, file


@pytest.fixture
def world(make):
    w = build_world(make, max_priority_sectors=2)
    db.session.commit()
    return w


def test_priority_cap_reason_and_duplicates(world):
    auto, bois, eau = (world.sectors[c] for c in ("automobile", "bois", "eau"))
    services.declare_priority(world.head_a, world.a, auto, "Équipementiers présents.")
    with pytest.raises(Invalid, match="déjà prioritaire"):
        services.declare_priority(world.head_a, world.a, auto, "Encore.")
    with pytest.raises(Invalid, match="pourquoi"):
        services.declare_priority(world.head_a, world.a, bois, "   ")
    services.declare_priority(world.head_a, world.a, bois, "Forêts du massif.")
    with pytest.raises(Invalid, match="limitent les filières prioritaires à 2"):
        services.declare_priority(world.head_a, world.a, eau, "Rivières.")
    assert db.session.scalar(db.select(db.func.count(PartyPrioritySector.id))) == 2


@pytest.mark.parametrize("who", ["assistant_a", "head_b", "presidency", "observer"])
def test_only_head_or_allowed_delegate_files(world, who):
    sector = world.sectors["automobile"]
    with pytest.raises(Forbidden):
        services.declare_priority(getattr(world, who), world.a, sector, "Raison.")
    services.declare_priority(world.delegate_a, world.a, sector, "Raison.")
    with pytest.raises(Forbidden):
        services.start_commitment(getattr(world, who), world.a, sector)


def test_suspended_party_cannot_file(world):
    world.a.accreditation = "suspended"
    with pytest.raises(Forbidden):
        services.declare_priority(world.head_a, world.a, world.sectors["bois"], "Raison.")


def test_commitment_needs_a_priority_sector_and_is_unique(world):
    with pytest.raises(Invalid, match="Déclarez d’abord"):
        services.start_commitment(world.head_a, world.a, world.sectors["bois"])
    services.declare_priority(world.head_a, world.a, world.sectors["bois"], "Forêts.")
    services.start_commitment(world.head_a, world.a, world.sectors["bois"])
    with pytest.raises(Conflict):
        services.start_commitment(world.head_a, world.a, world.sectors["bois"])


@pytest.mark.parametrize("phase", ["preparation", "negotiation", "adoption", "implementation", "closed"])
def test_new_commitments_only_during_the_call(world, phase):
    world.conference.phase = phase
    with pytest.raises(WrongPhase):
        services.declare_priority(world.head_a, world.a, world.sectors["bois"], "Forêts.")


def _saved(world, **kw):
    """A started commitment of party A with a saved draft."""
    sector = world.sectors["automobile"]
    services.declare_priority(world.head_a, world.a, sector, "Équipementiers.")
    commitment = services.start_commitment(world.head_a, world.a, sector)
    services.save_draft(world.head_a, commitment, commitment.version, draft_input(**kw))
    return commitment


@pytest.mark.parametrize("change, message", [
    (lambda d: setattr(d.pledges[0], "indicator", "bonheur-national"), "n’est pas dans le catalogue"),
    (lambda d: setattr(d.pledges[0], "unconditional", Decimal("-5")), "négatives"),
    (lambda d: setattr(d.pledges[0], "conditional", Decimal("-1")), "négatives"),
    (lambda d: setattr(d.pledges[0], "target_year", 2020), "précède l’année de référence"),
    (lambda d: setattr(d, "target_year", 2020), "précède l’année de référence"),
    (lambda d: setattr(d.pledges[0], "conditional", Decimal("50")), "exige au moins une demande d’appui"),
    (lambda d: d.pledges.append(PledgeInput("jobs-created", 2025, 0, 2030, Decimal(1))), "figure deux fois"),
    (lambda d: d.supports.append(SupportInput("mecene", Decimal(1), "x", [])), "financeur inconnu"),
    (lambda d: d.supports.append(SupportInput("eu", Decimal(0), "x", [])), "doit être positif"),
    (lambda d: setattr(d, "partner_ids", [999999]), "partenaire"),
])
def test_invalid_drafts_are_refused_and_nothing_is_written(world, change, message):
    commitment = _saved(world, unconditional="100")
    db.session.commit()
    before = commitment.version
    data = draft_input(unconditional="120")
    change(data)
    with pytest.raises(Invalid, match=message):
        services.save_draft(world.head_a, commitment, commitment.version, data)
    db.session.rollback()
    assert commitment.version == before
    assert db.session.scalar(db.select(Pledge.unconditional_value)) == Decimal("100")


def test_conditional_value_with_its_support_request_is_accepted(world):
    commitment = _saved(world, unconditional="100", conditional="40")
    draft = drafts.current_draft(commitment)
    assert draft.pledges[0].conditional_value == Decimal("40")
    assert draft.support_requests[0].pledges == [draft.pledges[0]]


def test_submit_freezes_a_numbered_timestamped_version(world):
    commitment = _saved(world)
    version = submission.submit(world.head_a, commitment, commitment.version)
    assert (version.number, version.status, commitment.status) == (1, "submitted", "submitted")
    assert version.submitted_dt is not None and version.submitted_by_id == world.head_a.id
    with pytest.raises(Conflict, match="pas de brouillon"):
        services.save_draft(world.head_a, commitment, commitment.version, draft_input(unconditional="1"))
    draft = services.open_draft(world.head_a, commitment)
    assert draft.number == 2 and draft.pledges[0].unconditional_value == Decimal("100")
    assert version.pledges[0].unconditional_value == Decimal("100")


def test_submit_requires_the_clarity_fields(world):
    commitment = _saved(world, scope="")
    with pytest.raises(Invalid, match="Périmètre"):
        submission.submit(world.head_a, commitment, commitment.version)


def test_submit_from_a_stale_page_is_refused(world):
    commitment = _saved(world)
    with pytest.raises(Conflict):
        submission.submit(world.head_a, commitment, commitment.version - 1)


def test_stale_draft_save_is_refused_with_what_changed(world):
    commitment = _saved(world, unconditional="100")
    opened = commitment.version
    services.save_draft(world.delegate_a, commitment, opened, draft_input(unconditional="150", scope="Nouveau"))
    db.session.commit()
    with pytest.raises(services.StaleDraft) as caught:
        services.save_draft(world.head_a, commitment, opened, draft_input(unconditional="999"))
    assert set(caught.value.changed) == {"pledges", "scope"}
    assert "a enregistré ce brouillon" in caught.value.message
    db.session.rollback()
    assert drafts.current_draft(commitment).pledges[0].unconditional_value == Decimal("150")


def _two_versions(world, first, second, justification=""):
    """File v1 (accepted), then try to submit v2."""
    commitment = file(world, world.a, "automobile", first)
    services.open_draft(world.head_a, commitment)
    second.texts["justification"] = justification
    services.save_draft(world.head_a, commitment, commitment.version, second)
    return commitment, lambda: submission.submit(world.head_a, commitment, commitment.version)


def test_lowered_pledge_needs_a_justification_and_is_marked(world):
    commitment, submit = _two_versions(world, draft_input("100"), draft_input("80"))
    with pytest.raises(Invalid, match="recul sur la version 1.*inconditionnel 80 au lieu de 100"):
        submit()
    assert drafts.current_draft(commitment).status == "draft"
    data = draft_input("80", justification="Fermeture d’un site.")
    services.save_draft(world.head_a, commitment, commitment.version, data)
    version = submit()
    assert version.is_step_back is True and version.status == "submitted"
    assert commitment.versions[0].is_step_back is False


@pytest.mark.parametrize("second", [
    lambda: draft_input("100", "0"),                  # conditional total 150 → 100
    lambda: draft_input("100", "10"),                 # conditional total 150 → 110
    lambda: draft_input("500", "0", indicator="investment"),  # jobs pledge removed
])
def test_lower_conditional_or_removed_pledge_is_a_step_back(world, second):
    _, submit = _two_versions(world, draft_input("100", "50"), second())
    with pytest.raises(Invalid, match="justification est obligatoire"):
        submit()


def test_raising_is_not_a_step_back_and_moving_to_unconditional_is_fine(world):
    _, submit = _two_versions(world, draft_input("100", "50"), draft_input("150", "0"))
    assert submit().is_step_back is False


def test_returned_version_is_not_the_baseline(world):
    commitment = file(world, world.a, "automobile", draft_input("100"))
    services.open_draft(world.head_a, commitment)
    services.save_draft(world.head_a, commitment, commitment.version, draft_input("300"))
    v2 = submission.submit(world.head_a, commitment, commitment.version)
    submission.review(world.presidency, v2, False, "Chiffre irréaliste : revoyez l’hypothèse.")
    services.open_draft(world.head_a, commitment)
    services.save_draft(world.head_a, commitment, commitment.version, draft_input("120"))
    assert submission.submit(world.head_a, commitment, commitment.version).is_step_back is False


def test_after_the_call_only_raising_revisions(world):
    commitment = file(world, world.a, "automobile", draft_input("100"))
    world.conference.phase = "negotiation"
    services.open_draft(world.head_a, commitment)
    services.save_draft(world.head_a, commitment, commitment.version,
                        draft_input("90", justification="Conjoncture."))
    with pytest.raises(WrongPhase, match="ne peut que relever"):
        submission.submit(world.head_a, commitment, commitment.version)
    services.save_draft(world.head_a, commitment, commitment.version, draft_input("130"))
    assert submission.submit(world.head_a, commitment, commitment.version).number == 2
    world.conference.phase = "closed"
    with pytest.raises(WrongPhase):
        services.open_draft(world.head_a, commitment)


def test_review_rules(world):
    commitment = file(world, world.a, "automobile", draft_input(), accept=False)
    version = commitment.versions[-1]
    with pytest.raises(Forbidden):
        submission.review(world.head_a, version, True, "")
    with pytest.raises(Invalid, match="commentaire est obligatoire"):
        submission.review(world.presidency, version, False, " ")
    submission.review(world.presidency, version, True, "Bien étayé.")
    assert (version.status, commitment.status) == ("accepted", "accepted")
    with pytest.raises(Conflict, match="déjà été examinée"):
        submission.review(world.presidency, version, False, "Trop tard.")


def test_withdrawal_is_recorded_never_deleted(world):
    commitment = file(world, world.a, "automobile", draft_input())
    with pytest.raises(Invalid, match="pourquoi"):
        submission.withdraw(world.head_a, commitment, "")
    with pytest.raises(Forbidden):
        submission.withdraw(world.head_b, commitment, "Pas à moi.")
    submission.withdraw(world.head_a, commitment, "Projet abandonné par l’industriel.")
    db.session.commit()
    assert db.session.get(Commitment, commitment.id).status == "withdrawn"
    assert db.session.scalar(db.select(db.func.count(CommitmentVersion.id))) == 1
    assert commitment.versions[0].status == "withdrawn"
    with pytest.raises(Conflict):
        submission.withdraw(world.head_a, commitment, "Encore.")


def test_submission_review_and_withdrawal_are_in_the_audit_chain(world):
    from cop.audit.models import AuditEvent
    from cop.audit.services import verify_chain

    commitment = file(world, world.a, "automobile", draft_input())
    submission.withdraw(world.head_a, commitment, "Projet abandonné.")
    db.session.commit()
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["commitment.submitted", "commitment.accepted", "commitment.withdrawn"]
    assert verify_chain() == (3, None)
