"""Meetings' state changes, called by the Flask views and by the live server alike; the caller commits."""
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Optional

from flask import current_app
from sqlalchemy import bindparam
from sqlalchemy.orm.attributes import set_committed_value

from cop.auth.models import User
from cop.conferences.models import Conference, Membership, Party
from cop.db import db, utcnow
from cop.errors import Conflict, Forbidden, Invalid, NotFound, Throttled
from cop.loaders import item_of
from cop.meetings import floor, journal, quorum, timer  # noqa: F401  (floor, quorum, timer: register commands)
from cop.meetings.commands import COMMANDS, Context, UnknownCommand
from cop.meetings.models import KINDS, AgendaItem, Meeting, MeetingEvent
from cop.notify import meeting_mail
from cop.permissions import remember_membership, speaking_membership
from cop.rulebook import allowed


def schedule_meeting(user: User, conference: Conference, *, kind: str, title: str, starts_dt: datetime,
                     chair: User, place: str = "", is_public: bool = False, sector_id: Optional[int] = None,
                     cofacilitators: tuple[User, ...] = ()) -> Meeting:
    """The presidency schedules a meeting of the conference."""
    allowed("meeting.schedule", user, conference)
    if kind not in KINDS:
        raise Invalid("Type de séance inconnu.")
    if kind == "contact_group" and sector_id is None:
        raise Invalid("Un groupe de contact porte sur une filière : choisissez-la.")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise Invalid("Le titre est obligatoire (200 caractères au plus).")
    meeting = Meeting(conference_id=conference.id, kind=kind, title=title, starts_dt=starts_dt, chair_id=chair.id,
                      place=(place or "").strip()[:200], is_public=is_public,
                      sector_id=sector_id if kind == "contact_group" else None)
    meeting.cofacilitators = list(cofacilitators)
    db.session.add(meeting)
    db.session.flush()
    meeting_mail.convened(meeting)
    return meeting


def _editable_agenda(user: User, meeting: Meeting, version: int) -> None:
    """Agenda edits: managers only, before the meeting closes, against the version read."""
    allowed("agenda.edit", user, meeting)
    if version != meeting.version:
        raise Conflict("L’ordre du jour a changé depuis que vous l’avez ouvert (un point ou l’état de la séance) : "
                       "rechargez la page.")
    meeting.version += 1


def add_item(user: User, meeting: Meeting, version: int, title: str, description: str = "") -> AgendaItem:
    """Append an item to the agenda."""
    _editable_agenda(user, meeting, version)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise Invalid("L’intitulé du point est obligatoire (200 caractères au plus).")
    item = AgendaItem(position=len(meeting.items) + 1, title=title, description=(description or "").strip())
    meeting.items.append(item)
    db.session.flush()
    return item


def move_item(user: User, meeting: Meeting, version: int, item_id: int, offset: int) -> None:
    """Move a pending item one place up (-1) or down (+1)."""
    _editable_agenda(user, meeting, version)
    items = list(meeting.items)
    index = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        raise NotFound("Ce point n’est pas à l’ordre du jour de cette séance.")
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(items):
        raise Invalid("Ce point ne peut pas aller plus loin.")
    items[index].position, items[other].position = items[other].position, items[index].position
    db.session.flush()


def remove_item(user: User, meeting: Meeting, version: int, item_id: int) -> None:
    """Remove a pending item and renumber the rest."""
    _editable_agenda(user, meeting, version)
    item = item_of(meeting, item_id)
    if item.state != "pending":
        raise Conflict("Ce point a déjà été discuté : il reste au compte rendu.")
    meeting.items.remove(item)
    for position, other in enumerate(sorted(meeting.items, key=lambda i: i.position), start=1):
        other.position = position
    db.session.flush()


def find_resent(meeting_id: int, user_id: Optional[int], command_id: Optional[str]) -> Optional[MeetingEvent]:
    """The event a command with this id already produced, if it was applied."""
    if not command_id or user_id is None:
        return None
    return db.session.scalar(db.select(MeetingEvent).filter_by(
        meeting_id=meeting_id, actor_id=user_id, command_id=command_id))


@lru_cache(maxsize=2)
def _reads_query(resent: bool):
    """`_reads`' statement, built once per process with parameters (`meeting_id`, `user_id`, `conference_id`,
    `since`, and `command_id` when `resent`): building it on every command cost more CPU than running it."""
    mine = (MeetingEvent.meeting_id == bindparam("meeting_id"), MeetingEvent.actor_id == bindparam("user_id"))
    resent_id = (db.select(MeetingEvent.id).filter(*mine, MeetingEvent.command_id == bindparam("command_id"))
                 .scalar_subquery() if resent else db.null())
    recent = db.select(db.func.count(MeetingEvent.id)).filter(
        *mine, MeetingEvent.created_dt > bindparam("since")).scalar_subquery()
    return (db.select(Conference, Membership, Party, resent_id, recent)
            .outerjoin(Membership, (Membership.conference_id == Conference.id)
                       & (Membership.user_id == bindparam("user_id")))
            .outerjoin(Party, Party.id == Membership.party_id)
            .filter(Conference.id == bindparam("conference_id")))


def _reads(meeting: Meeting, user: User, command_id: Optional[str], now: datetime) -> tuple[Optional[int], int]:
    """What a command reads before the rulebook answers, in one statement under the meeting's lock: the meeting's
    conference, the user's membership in it and its party (into the session, and into the memberships' memo where
    `cop.permissions` finds them), the id of the event this command id already produced (a resent command), and how
    many events the user journaled in this meeting in the last minute (any door, any process). Four round trips
    before, on every command of every live meeting."""
    conference, m, party, resent_id, count = db.session.execute(
        _reads_query(bool(command_id)),
        dict({"meeting_id": meeting.id, "user_id": user.id, "conference_id": meeting.conference_id,
              "since": now - timedelta(minutes=1)}, **({"command_id": command_id} if command_id else {}))).one()
    # Held by the objects that lead to them (the session keeps loaded rows by weak reference only).
    set_committed_value(meeting, "conference", conference)
    if m is not None:
        set_committed_value(m, "party", party)
    remember_membership(user, meeting.conference_id, m)
    return resent_id, count


def run_command(meeting_id: int, user: Optional[User], name: str, args: Any,
                command_id: Optional[str] = None, presence: Optional[list[int]] = None) -> tuple[MeetingEvent, bool]:
    """Apply one command and journal its event under the meeting's lock; return (event, newly applied).

    A command id already applied returns its event, whatever the rules say now; then the rulebook answers, then the
    account's pace (COP_ACCOUNT_COMMANDS_PER_MINUTE in this meeting, any door, any process), then the handler."""
    if user is None or user.is_disabled:
        raise Forbidden("Connectez-vous pour agir dans une séance : ce suivi est en lecture seule.")
    if command_id is not None and (not isinstance(command_id, str) or not 0 < len(command_id) <= 64):
        raise Invalid("L’identifiant de commande est une chaîne de 1 à 64 caractères.")
    handler = COMMANDS.get(name)
    if handler is None:
        raise UnknownCommand("Commande inconnue : « %(name)s ».", name=str(name)[:40])
    if not isinstance(args, dict):
        raise Invalid("Les arguments d’une commande forment un objet JSON.")
    meeting = journal.lock(meeting_id)
    now = utcnow()
    resent_id, recent = _reads(meeting, user, command_id, now)
    if resent_id is not None:
        return db.session.get(MeetingEvent, resent_id), False
    allowed(name, user, meeting)
    if recent >= current_app.config["COP_ACCOUNT_COMMANDS_PER_MINUTE"]:
        raise Throttled("Vous avez atteint la limite d’actions par minute dans cette séance : patientez un instant.")
    m = speaking_membership(user, meeting.conference)
    ctx = Context(meeting=meeting, user=user, party_id=m.party_id if m else None, args=args, now=now,
                  presence=presence)
    event_name, data = handler(ctx)
    return journal.append(meeting, event_name, data, ctx.now, actor_id=user.id, party_id=ctx.party_id,
                          command_id=command_id), True
