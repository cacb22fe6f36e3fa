"""Load-or-refuse helpers that keep the views short."""
from typing import TYPE_CHECKING, Optional

from flask_login import current_user

from cop import permissions
from cop.conferences.models import Conference, Membership, Party
from cop.db import db
from cop.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from cop.meetings.models import AgendaItem, Meeting

#: Largest id an INTEGER primary key holds on PostgreSQL; larger ids in a URL would make the query fail.
MAX_ID = 2**31 - 1


def get_conference(conference_id: int, options: tuple = ()) -> Conference:
    """The conference (loaded with the loader `options`, e.g. its region joined), or NotFound."""
    conference = db.session.get(Conference, conference_id, options=options) if conference_id <= MAX_ID else None
    if conference is None:
        raise NotFound("Cette COP n'existe pas.")
    return conference


def get_managed(conference_id: int) -> Conference:
    """The conference when the current user runs it (presidency, secretariat, admin), else Forbidden."""
    conference = get_conference(conference_id)
    if not permissions.can_manage_conference(current_user, conference):
        raise Forbidden("Seules la présidence et le secrétariat de cette COP ont accès à cette page.")
    return conference


def get_party(conference: Conference, party_id: int) -> Party:
    """A party of this very conference, or NotFound."""
    party = db.session.get(Party, party_id) if party_id <= MAX_ID else None
    if party is None or party.conference_id != conference.id:
        raise NotFound("Cette partie n'existe pas dans cette COP.")
    return party


def get_membership(conference_id: int, membership_id: int) -> Membership:
    """A membership of this conference, or NotFound."""
    membership = db.session.get(Membership, membership_id) if membership_id <= MAX_ID else None
    if membership is None or membership.conference_id != conference_id:
        raise NotFound("Ce membre n’existe pas dans cette COP.")
    return membership


def get_meeting(meeting_id: int) -> "Meeting":
    """The meeting, or NotFound."""
    from cop.meetings.models import Meeting  # the meetings package imports this module

    meeting = db.session.get(Meeting, meeting_id) if meeting_id <= MAX_ID else None
    if meeting is None:
        raise NotFound("Cette séance n’existe pas.")
    return meeting


def is_id(value) -> bool:
    """A row id as JSON gives it: an integer, not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def item_of(meeting: "Meeting", item_id) -> "AgendaItem":
    """An agenda item of this meeting, or NotFound."""
    item = next((i for i in meeting.items if is_id(item_id) and i.id == item_id), None)
    if item is None:
        raise NotFound("Ce point n’est pas à l’ordre du jour de cette séance.")
    return item


def form_version(raw: Optional[str]) -> int:
    """The version a form was read at; a missing or malformed one never matches."""
    return int(raw) if raw and raw.isdigit() else -1
