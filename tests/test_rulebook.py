"""The rulebook: every action has a row, answers carry a reason in the reader's language, the database checks states."""
from datetime import datetime, timezone

import pytest
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from cop import rulebook
from cop.db import db
from cop.errors import Conflict, Forbidden, WrongPhase
from cop.meetings.commands import COMMANDS
from cop.meetings.models import Meeting
from cop.rulebook.enums import MeetingKind, Phase
from cop.rulebook.live import MEETING_ACTIONS, key, may_for
from cop.rulebook.phases import ACTION_PHASES, SITTING, WHEN_SITTING
from tests import factories


@pytest.fixture
def cop_room():
    conf = factories.conference(phase="negotiation")
    party = factories.party(conf, factories.territory())
    chair = factories.member(conf, "presidency")
    head = factories.member(conf, "head_of_delegation", party, is_accredited=True)
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière", chair_id=chair.id,
                      starts_dt=datetime(2027, 3, 1, 9, 30, tzinfo=timezone.utc))
    db.session.add(meeting)
    db.session.commit()
    return conf, party, chair, head, meeting


def test_every_live_command_and_every_action_has_one_row_in_each_table():
    assert set(COMMANDS) <= set(rulebook.ACTIONS)
    assert set(rulebook.ACTIONS) == set(ACTION_PHASES)
    for action, phases in ACTION_PHASES.items():
        assert phases == WHEN_SITTING or (phases and set(phases) <= set(Phase)), action
    assert set(SITTING) == set(MeetingKind)


def test_a_refusal_says_why_in_french_and_in_english(cop_room):
    conf, party, chair, head, meeting = cop_room
    answer = rulebook.ask("meeting.open", head, meeting)
    assert not answer and answer.error is Forbidden
    assert answer.message == "Seule la présidence de séance peut faire cela."
    with force_locale("en"):
        assert answer.message == "Only the meeting's chair may do this."
    assert rulebook.ask("meeting.open", chair, meeting)
    assert rulebook.ask("meeting.open", chair, meeting).as_dict() == {"ok": True, "reason": None}


def test_phase_and_state_refusals_raise_their_domain_errors(cop_room):
    conf, party, chair, head, meeting = cop_room
    with pytest.raises(Conflict, match="pas encore ouverte"):
        rulebook.allowed("meeting.suspend", chair, meeting)
    conf.phase = "call_for_commitments"
    with pytest.raises(WrongPhase, match="elle siège en phase « Négociation », « Adoption »"):
        rulebook.allowed("meeting.open", chair, meeting)
    with pytest.raises(WrongPhase, match="seulement en phase « Adoption »"):
        rulebook.allowed("roadmap.submit", chair, conf)


def test_may_for_is_the_rulebook_answer_for_every_meeting_action(cop_room):
    conf, party, chair, head, meeting = cop_room
    for user in (None, chair, head):
        may = may_for(user, meeting)
        assert set(may) == {key(a) for a in MEETING_ACTIONS}
        for action in MEETING_ACTIONS:
            assert bool(may[key(action)]) == bool(rulebook.ask(action, user, meeting)), (user, action)
    assert may_for(chair, meeting)["meeting_open"] and not may_for(head, meeting)["meeting_open"]


@pytest.mark.parametrize("table, column", [("conference", "phase"), ("party", "accreditation"),
                                           ("membership", "role"), ("meeting", "state"), ("meeting", "kind"),
                                           ("agenda_item", "state")])
def test_the_database_refuses_a_state_outside_its_enumeration(cop_room, table, column):
    db.session.commit()
    if table == "agenda_item":
        db.session.execute(db.text("INSERT INTO agenda_item (meeting_id, position, title, description, state) "
                                   "SELECT id, 1, 'x', '', 'pending' FROM meeting"))
        db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(db.text(f"UPDATE {table} SET {column} = 'bogus'"))
        db.session.flush()
    db.session.rollback()


def test_the_commitments_rules_answer_with_their_reasons(make):
    """Filing, revising, stepping back, withdrawing, reviewing and discussing a commitment: the rulebook decides,
    from the role, the COP's phase and the commitment's (or version's) state, and says why in both languages."""
    from cop.commitments.models import Commitment
    from cop.rulebook.states import draft_open, filing_action
    from tests.commitment_helpers import build_world, draft_input, file

    world = build_world(make)
    commitment = file(world, world.a, "automobile", draft_input(), accept=False)
    version = commitment.versions[-1]
    conf, party = world.conference, world.a
    assert rulebook.ask("commitment.withdraw", world.head_a, party, commitment)
    assert rulebook.ask("commitment.review", world.presidency, conf, version)
    no = rulebook.ask("commitment.review", world.head_a, conf, version)
    assert not no and no.error is Forbidden
    assert not rulebook.ask("commitment.withdraw", world.assistant_a, party, commitment)
    assert not rulebook.ask("commitment.withdraw", world.head_b, party, commitment)
    fresh = Commitment(conference_id=conf.id, party_id=party.id, sector_id=world.sectors["bois"].id, status="draft")
    no = rulebook.ask("commitment.withdraw", world.head_a, party, fresh)
    assert no.error is Conflict and no.message == "Seul un engagement déposé et non retiré peut être retiré."
    assert filing_action(commitment) == "commitment.revise" and filing_action(fresh) == "commitment.file"
    no = draft_open(commitment)
    assert not no and no.error is Conflict
    conf.phase = "negotiation"
    no = rulebook.ask("commitment.withdraw", world.head_a, party, commitment)
    assert no.error is WrongPhase
    assert no.message == "Un engagement ne peut être retiré que pendant l’appel à engagements."
    with force_locale("en"):
        assert no.message == "A commitment can be withdrawn only during the call for commitments."
    assert rulebook.ask("commitment.revise", world.head_a, party)
    no = rulebook.ask("commitment.file", world.head_a, party)
    assert no.message.startswith("L’appel à engagements est clos")
    no = rulebook.ask("commitment.step_back", world.head_a, party)
    assert no.error is WrongPhase and "ne peut que relever" in no.message
    version.status = "accepted"
    no = rulebook.ask("commitment.review", world.presidency, conf, version)
    assert no.error is Conflict and no.message == "Cette version a déjà été examinée ou n’a pas été soumise."
    conf.phase = "closed"
    assert rulebook.ask("commitment.review", world.presidency, conf, version).message == (
        "La COP n’examine pas d’engagement dans sa phase actuelle.")
    db.session.rollback()


@pytest.mark.parametrize("table", ["commitment", "commitment_version"])
def test_the_database_refuses_a_commitment_status_outside_its_enumeration(make, table):
    from tests.commitment_helpers import build_world, draft_input, file

    world = build_world(make)
    file(world, world.a, "automobile", draft_input(), accept=False)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(db.text(f"UPDATE {table} SET status = 'sealed_by_hand'"))
        db.session.flush()
    db.session.rollback()
