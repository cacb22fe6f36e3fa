"""Who may do what: one function per question, used by views and live commands alike."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from flask import g

from cop.conferences.models import Conference, Membership, Party
from cop.db import db

if TYPE_CHECKING:
    from cop.auth.models import User

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


def remember_membership(user: User, conference_id: int, m: Optional[Membership]) -> None:
    """Put a membership read by a wider query (or its absence) into the request's memo, where `membership` finds
    it."""
    if _has_g():
        g.setdefault("_memberships", {})[(user.id, conference_id)] = m


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


def can_invite_role(user: Optional[User], conference: Conference, role: str) -> bool:
    """Managers invite delegations and observers; only the presidency invites presidency or secretariat staff."""
    if role in MANAGING_ROLES:
        return is_presidency(user, conference)
    return can_invite(user, conference)


def can_accredit_members(user: Optional[User], conference: Conference) -> bool:
    """The presidency and the secretariat accredit the members of delegations."""
    return can_manage_conference(user, conference)


def can_schedule_meeting(user: Optional[User], conference: Conference) -> bool:
    """The presidency and the secretariat schedule meetings and edit their agendas."""
    return can_manage_conference(user, conference)


def can_chair_meeting(user: Optional[User], meeting) -> bool:
    """The meeting's chair, its co-facilitators, and the conference's managers run a meeting."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if meeting.chair_id == user.id or any(u.id == user.id for u in meeting.cofacilitators):
        return True
    return can_manage_conference(user, meeting.conference)


def speaking_membership(user: Optional[User], conference: Conference) -> Optional[Membership]:
    """The membership that lets a user ask for the floor for a party: an accredited delegate of an accredited party."""
    m = membership(user, conference)
    if m is None or m.role not in ("head_of_delegation", "delegate") or not m.is_accredited:
        return None
    if m.party is None or m.party.accreditation != "accredited":
        return None
    return m


def is_meeting_participant(user: Optional[User], meeting) -> bool:
    """Participants of a closed meeting: those who run it and the accredited delegations."""
    return can_chair_meeting(user, meeting) or speaking_membership(user, meeting.conference) is not None


def can_watch_meeting(user: Optional[User], meeting) -> bool:
    """Anyone may follow a public meeting; a closed one only its participants."""
    return meeting.is_public or is_meeting_participant(user, meeting)


def amending_membership(user: Optional[User], conference: Conference) -> Optional[Membership]:
    """Who may table, co-sponsor, revise or withdraw amendments for a party: its accredited head or delegates."""
    return speaking_membership(user, conference)


def objecting_membership(user: Optional[User], conference: Conference) -> Optional[Membership]:
    """Only the head of an accredited delegation may object to an adoption by consensus."""
    m = speaking_membership(user, conference)
    return m if m is not None and m.role == "head_of_delegation" else None


def voting_membership(user: Optional[User], conference: Conference) -> Optional[Membership]:
    """A party votes through its head, or through a delegate the head allows."""
    m = speaking_membership(user, conference)
    if m is None or (m.role == "delegate" and not m.may_file):
        return None
    return m


def can_prepare_draft(user: Optional[User], meeting) -> bool:
    """The presidency, the secretariat and the meeting's chairs prepare and edit draft texts."""
    return can_chair_meeting(user, meeting)


def can_sign_for_party(user: Optional[User], party: Party) -> bool:
    """Only the party's own head of delegation signs the adopted roadmap for it."""
    m = party_membership(user, party)
    return bool(m and m.role == "head_of_delegation" and party.accreditation != "suspended")


def can_report_progress(user: Optional[User], party: Party) -> bool:
    """Progress is reported by those who file for the party: its head, or a delegate the head allows."""
    return can_file_for_party(user, party)
