"""Load-or-refuse helpers that keep the views short."""
from typing import Optional

from flask_login import current_user

from cop import permissions
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.errors import Forbidden, NotFound

#: Largest id an INTEGER primary key holds on PostgreSQL; larger ids in a URL would make the query fail.
MAX_ID = 2**31 - 1


def get_conference(conference_id: int) -> Conference:
    """The conference, or NotFound."""
    conference = db.session.get(Conference, conference_id) if conference_id <= MAX_ID else None
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


def form_version(raw: Optional[str]) -> int:
    """The version a form was read at; a missing or malformed one never matches."""
    return int(raw) if raw and raw.isdigit() else -1
