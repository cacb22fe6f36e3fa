"""cop/permissions.py: one question per function, answered for every role."""
import pytest

from cop import permissions
from cop.conferences.models import Membership
from cop.db import db

ROLES = ["presidency", "secretariat", "head", "delegate", "allowed_delegate", "observer", "other_head",
         "other_delegate", "outsider", "admin"]


@pytest.fixture
def world(make):
    """A COP with two parties and one person per situation."""
    conference = make.conference()
    party = make.party(conference, name="Grenoble-Alpes Métropole")
    other = make.party(conference, name="Métropole de Lyon")
    people = {
        "presidency": make.member(conference, "presidency"),
        "secretariat": make.member(conference, "secretariat"),
        "head": make.member(conference, "head_of_delegation", party),
        "delegate": make.member(conference, "delegate", party),
        "allowed_delegate": make.member(conference, "delegate", party, may_file=True),
        "observer": make.member(conference, "observer"),
        "other_head": make.member(conference, "head_of_delegation", other),
        "other_delegate": make.member(conference, "delegate", other, may_file=True),
        "outsider": make.user(),
        "admin": make.user(is_admin=True),
    }
    db.session.commit()
    return conference, party, people


def _who(world, question) -> set[str]:
    """The names of the people for whom `question(user)` is true."""
    return {name for name, user in world[2].items() if question(user)}


def test_can_view_party_admin(world):
    conference, party, _ = world
    assert _who(world, lambda u: permissions.can_view_party_admin(u, party)) == {
        "presidency", "secretariat", "head", "delegate", "allowed_delegate", "admin"}


def test_can_manage_delegation(world):
    _, party, _ = world
    assert _who(world, lambda u: permissions.can_manage_delegation(u, party)) == {
        "presidency", "secretariat", "head", "admin"}


def test_can_file_for_party(world):
    _, party, _ = world
    assert _who(world, lambda u: permissions.can_file_for_party(u, party)) == {"head", "allowed_delegate"}


def test_suspended_party_files_nothing(world):
    _, party, _ = world
    party.accreditation = "suspended"
    assert _who(world, lambda u: permissions.can_file_for_party(u, party)) == set()


def test_can_invite(world):
    conference, _, _ = world
    assert _who(world, lambda u: permissions.can_invite(u, conference)) == {"presidency", "secretariat", "admin"}


@pytest.mark.parametrize("role, allowed", [
    ("presidency", {"presidency", "admin"}),
    ("secretariat", {"presidency", "admin"}),
    ("head_of_delegation", {"presidency", "secretariat", "admin"}),
    ("delegate", {"presidency", "secretariat", "admin"}),
    ("observer", {"presidency", "secretariat", "admin"}),
])
def test_can_invite_role(world, role, allowed):
    conference, _, _ = world
    assert _who(world, lambda u: permissions.can_invite_role(u, conference, role)) == allowed


def test_can_accredit_members(world):
    conference, _, _ = world
    assert _who(world, lambda u: permissions.can_accredit_members(u, conference)) == {
        "presidency", "secretariat", "admin"}


def test_anonymous_may_do_nothing(world):
    conference, party, _ = world
    assert permissions.membership(None, conference) is None
    assert not permissions.can_view_party_admin(None, party)
    assert not permissions.can_manage_delegation(None, party)
    assert not permissions.can_invite_role(None, conference, "delegate")
    assert not permissions.can_accredit_members(None, conference)


def test_membership_in_another_conference_gives_no_right(world, make):
    conference, party, people = world
    elsewhere = make.conference(make.region("53", "Bretagne"))
    stranger = make.member(elsewhere, "presidency")
    db.session.commit()
    assert not permissions.can_manage_conference(stranger, conference)
    assert not permissions.can_view_party_admin(stranger, party)
    assert db.session.scalar(db.select(Membership).filter_by(user_id=stranger.id)).conference_id == elsewhere.id
