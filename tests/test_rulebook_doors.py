"""Every action of the rulebook's table, through every door that exists for it, for every role and phase: the doors
refuse exactly when the rulebook says no, with its error code (and, for the room, its very reason)."""
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from cop import rulebook
from cop.db import db
from cop.errors import DomainError
from cop.live import work
from cop.meetings.models import AgendaItem, Meeting
from cop.rulebook.enums import Phase
from cop.rulebook.live import MEETING_ACTIONS
from tests import factories
from tests.conftest import AuthActions
from tests.fresh_client import make_client

#: The web door of each family of meeting commands.
WEB = {"meeting.": "command", "item.": "command", "floor.": "command", "timer.": "command"}
ROLES = ("presidency", "secretariat", "head", "voting_delegate", "delegate", "observer", "invited_head", "outsider")


def _world():
    """A COP with one person per role, and a public plenary with an open item."""
    conf = factories.conference(phase="negotiation")
    party = factories.party(conf)
    invited = factories.party(conf, accreditation="invited")
    people = SimpleNamespace(
        presidency=factories.member(conf, "presidency"), secretariat=factories.member(conf, "secretariat"),
        head=factories.member(conf, "head_of_delegation", party),
        voting_delegate=factories.member(conf, "delegate", party, may_file=True),
        delegate=factories.member(conf, "delegate", party),
        observer=factories.member(conf, "observer"),
        invited_head=factories.member(conf, "head_of_delegation", invited),
        outsider=factories.user())
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière", chair_id=people.presidency.id,
                      starts_dt=datetime(2027, 3, 1, 9, tzinfo=timezone.utc), is_public=True, state="open")
    db.session.add(meeting)
    db.session.flush()
    db.session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Point", state="open"))
    db.session.commit()
    return conf, meeting, people


def _web(client, meeting, name: str):
    """Post the command through its no-JavaScript form; return the flashed error, or None on success."""
    path = "command" if name.split(".")[0] + "." in WEB else "negotiation"
    response = client.post(f"/meetings/{meeting.id}/{path}", data={"name": name})
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    errors = [text for category, text in flashes if category == "error"]
    if response.status_code == 403:
        return "forbidden", None
    return ("refused", errors[0]) if errors else (None, None)


def _live(meeting, user, name: str):
    """The live server's door (work.apply_command, as the writer thread runs it); (code, message) of a refusal."""
    try:
        work.apply_command(meeting.id, user.id, user.session_nonce, name, {}, None)
    except DomainError as error:
        db.session.rollback()
        return error.code, error.message
    return None, None


@pytest.mark.parametrize("phase", list(Phase))
def test_room_doors_agree_with_the_rulebook_for_every_role(app, phase):
    conf, meeting, people = _world()
    conf.phase = phase
    db.session.commit()
    clients = {}
    for role in ROLES:
        clients[role] = make_client(app)
        AuthActions(clients[role]).login(getattr(people, role).email)
    for action in MEETING_ACTIONS:
        if action == "agenda.edit":
            continue  # a page of its own, walked below
        for role in ROLES:
            user = getattr(people, role)
            db.session.expire_all()
            answer = rulebook.ask(action, user, db.session.get(Meeting, meeting.id))
            if answer:
                continue  # a yes may still fail on the empty arguments; refusals are what the doors must agree on
            code, message = _live(meeting, user, action)
            assert (code, message) == (answer.error.code, answer.message), (phase, role, action)
            outcome, flashed = _web(clients[role], meeting, action)
            assert outcome is not None, (phase, role, action)
            assert flashed in (None, answer.message), (phase, role, action, flashed)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).last_seq == 0  # no refused command left a trace


def test_a_yes_is_never_refused_for_its_role_phase_or_state(app):
    conf, meeting, people = _world()
    for action in MEETING_ACTIONS:
        if action == "agenda.edit":
            continue
        for role in ROLES:
            user = getattr(people, role)
            if not rulebook.ask(action, user, meeting):
                continue
            code, message = _live(meeting, user, action)
            assert code not in ("forbidden", "wrong_phase"), (role, action, message)
            db.session.rollback()
            db.session.expire_all()
            meeting = db.session.get(Meeting, meeting.id)
            if meeting.state != "open":  # a yes that closed or suspended the meeting: reopen for the next ones
                meeting.state = "open"
                db.session.commit()


#: The web door of conference-level actions: (action, path under /cop/<id> or /meetings/cop/<id>, form data).
CONFERENCE_DOORS = (
    ("roadmap.generate", "/cop/{id}/feuille-de-route/generer", {}),
    ("edition.next", "/cop/{id}/nouvelle-edition", {"edition_year": "2029"}),
    ("party.invite", "/cop/{id}/parties/epci", {}),
    ("party.accredit", "/cop/{id}/parties/accreditation", {}),
    ("targets.set", "/cop/{id}/objectifs?annee=2030", {}),
    ("rules.propose", "/cop/{id}/reglement/revision", {}),
    ("meeting.schedule", "/meetings/cop/{id}/new", {}),
    ("conference.move_phase", "/cop/{id}/phase", {"to_phase": "closed", "confirm": "y"}),
)


@pytest.mark.parametrize("phase", list(Phase))
def test_conference_doors_refuse_with_the_rulebook_status_for_every_role(app, phase):
    conf, meeting, people = _world()
    conf.phase = phase
    db.session.commit()
    for role in ROLES:
        client = make_client(app)
        AuthActions(client).login(getattr(people, role).email)
        for action, path, data in CONFERENCE_DOORS:
            db.session.expire_all()
            answer = rulebook.ask(action, getattr(people, role), conf)
            if answer:
                continue
            response = client.post(path.format(id=conf.id), data=dict(data, version=conf.version))
            assert response.status_code == answer.error.status, (phase, role, action, response.status_code)
    db.session.expire_all()
    assert db.session.get(type(conf), conf.id).phase == phase
