"""Who may do what: one function per question, used by views and live commands alike."""
from typing import Optional

from flask import g

from cop.auth.models import User
from cop.conferences.models import Conference, Membership, Party
from cop.db import db

MANAGING_ROLES = ("presidency", "secretariat")


def membership(user: Optional[User], conference: Conference) -> Optional[Membership]:
    """The user's role in the conference, or None (memoised for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cache = g.setdefault("_memberships", {}) if _has_g() else {}
    key = (user.id, conference.id)
    if key not in cache:
        cache[key] = db.session.scalar(
            db.select(Membership).filter_by(user_id=user.id, conference_id=conference.id)
        )
    return cache[key]


def _has_g() -> bool:
    """True inside an app context (views, CLI, live workers all push one)."""
    try:
        g._get_current_object()
    except RuntimeError:
        return False
    return True


def is_admin(user: Optional[User]) -> bool:
    """A platform administrator."""
    return bool(user and getattr(user, "is_authenticated", False) and user.is_admin)


def can_create_conference(user: Optional[User], region_id: int) -> bool:
    """Administrators, and staff attached to that region, may open a COP for it."""
    if is_admin(user):
        return True
    return bool(user and getattr(user, "is_authenticated", False) and user.region_id == region_id)


def can_manage_conference(user: Optional[User], conference: Conference) -> bool:
    """The presidency and the secretariat run a COP: calendar, rules, targets, parties, phases."""
    if is_admin(user):
        return True
    m = membership(user, conference)
    return bool(m and m.role in MANAGING_ROLES)


def is_presidency(user: Optional[User], conference: Conference) -> bool:
    """Only the presidency itself (not the secretariat) moves the phase forward."""
    if is_admin(user):
        return True
    m = membership(user, conference)
    return bool(m and m.role == "presidency")


def party_membership(user: Optional[User], party: Party) -> Optional[Membership]:
    """The user's membership when it is in this very party, else None."""
    m = membership(user, party.conference)
    return m if m is not None and m.party_id == party.id else None


def can_view_party_admin(user: Optional[User], party: Party) -> bool:
    """A party's delegation page: its own members and the conference's managers."""
    return party_membership(user, party) is not None or can_manage_conference(user, party.conference)


def can_manage_delegation(user: Optional[User], party: Party) -> bool:
    """The head of delegation (or the presidency) decides which delegates may file and vote."""
    m = party_membership(user, party)
    return bool(m and m.role == "head_of_delegation") or can_manage_conference(user, party.conference)


def can_file_for_party(user: Optional[User], party: Party) -> bool:
    """May this user file commitments for this party? Its head, or a delegate the head allows."""
    if party.accreditation == "suspended":
        return False
    m = party_membership(user, party)
    if m is None:
        return False
    return m.role == "head_of_delegation" or (m.role == "delegate" and m.may_file)


def can_invite(user: Optional[User], conference: Conference) -> bool:
    """Invitations are sent by the conference's managers."""
    return can_manage_conference(user, conference)
