"""Database work of the live server, run in worker threads inside an app context."""
import logging
import time
from contextlib import contextmanager
from typing import Optional

from flask import current_app, g
from flask_babel import force_locale
from sqlalchemy import bindparam, event
from sqlalchemy.orm import joinedload
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from cop import logs
from cop.auth.models import User
from cop.conferences.models import Membership
from cop.db import db
from cop.errors import DomainError, Forbidden, Invalid, NotFound
from cop.live.tokens import session_ended
from cop.meetings import journal
from cop.meetings.models import Meeting
from cop.meetings.services import find_resent, run_command
from cop.meetings.state import accredited_parties, event_frame, events_after, snapshot
from cop.permissions import can_chair_meeting, can_watch_meeting, speaking_membership
from cop.rulebook.answer import Answer
from cop.rulebook.live import roles_of

command_log = logging.getLogger("cop.live.command")


#: `session_user`'s read.
_USER = db.select(User).filter(User.id == bindparam("user_id"))


def session_user(user_id: Optional[int], session: Optional[str]) -> Optional[User]:
    """The user of a live token whose web session is still alive; Forbidden or session_ended otherwise."""
    if user_id is None:
        return None
    # The session's own when a group read it (remember_people: Session.get, which sends nothing then), else one read
    # by a statement built once per process (Session.get builds its statement on every call).
    if db.session.identity_map.get(db.session.identity_key(User, user_id)) is not None:
        user = db.session.get(User, user_id)
    else:
        user = db.session.scalar(_USER, {"user_id": user_id})
    if user is None or user.is_disabled:
        raise Forbidden("Ce compte est désactivé.")
    if session is None or user.session_nonce != session:
        raise session_ended()
    return user


def admit(meeting_id: int, user_id: Optional[int], session: Optional[str] = None, language: str = "fr",
          room_info: bool = True) -> dict:
    """Who this client is in the meeting, or Forbidden/NotFound; watch-only when user_id is None. The reasons of
    its `may` are put in words in the reader's language; `room_info` (the accredited parties, the quorum) is only
    read for the first client of a room."""
    with force_locale(language):
        return _admit(meeting_id, user_id, session, room_info)


def admit_many(meeting_id: int, requests: list[tuple[Optional[int], Optional[str], str]],
               room_info: bool = True) -> list:
    """admit() for several clients joining one meeting, in one session: the meeting, its conference, the users and
    their memberships are read once for all of them (a rejoin storm of 2,000 clients costs a few batches of
    queries, not 2,000 × eight). One answer per request, in order: its dict, or the DomainError refusing it.
    Clients without an account in the same language share one answer (their `may` and `you` are the same)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return [NotFound("Cette séance n’existe pas.")] * len(requests)
    _held = remember_people(meeting.conference_id, {user_id for user_id, _, _ in requests})
    room = {"accredited": [p.id for p in accredited_parties(meeting)], "room_info": True,
            "quorum_percent": meeting.conference.quorum_percent} if room_info else {}
    shared, answers = {}, []
    for user_id, session, language in requests:
        key = (user_id, session, language)
        if key not in shared:
            try:
                with force_locale(language):
                    shared[key] = dict(_admit(meeting_id, user_id, session, False, meeting), **room)
            except DomainError as error:
                shared[key] = error
        answers.append(shared[key] if user_id is None or isinstance(shared[key], DomainError)
                       else dict(shared[key]))
    return answers


def remember_people(conference_id: int, user_ids: set) -> list:
    """Read these accounts and their memberships of the COP (with their parties) in two statements, into the session
    and the memberships' memo where the rulebook's and admit's reads find them, instead of two or three statements
    per account. Returns the accounts and memberships read: the caller holds them while it needs them (the session
    keeps its rows by weak references only)."""
    user_ids = {user_id for user_id in user_ids if user_id is not None}
    if not user_ids:
        return []
    users = list(db.session.scalars(db.select(User).filter(User.id.in_(user_ids))))
    memo = g.setdefault("_memberships", {})
    found = {m.user_id: m for m in db.session.scalars(db.select(Membership).options(joinedload(Membership.party))
                                                      .filter(Membership.conference_id == conference_id,
                                                              Membership.user_id.in_(user_ids)))}
    for user_id in user_ids:
        memo[(user_id, conference_id)] = found.get(user_id)
    return users + list(found.values())


def _admit(meeting_id: int, user_id: Optional[int], session: Optional[str], room_info: bool,
           meeting: Optional[Meeting] = None) -> dict:
    """admit(), in the reader's language."""
    meeting = meeting or db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("Cette séance n’existe pas.")
    user = session_user(user_id, session)
    if not can_watch_meeting(user, meeting):
        raise Forbidden("Cette séance est fermée : seuls ses participants peuvent la suivre.")
    m = speaking_membership(user, meeting.conference) if user else None
    return {
        "last_seq": meeting.last_seq, "session": session,
        "accredited": [p.id for p in accredited_parties(meeting)] if room_info else [],
        "quorum_percent": meeting.conference.quorum_percent if room_info else 0, "room_info": room_info,
        "phase": meeting.conference.phase, "kind": meeting.kind, "state": meeting.state,
        # The role part of the reader's `may`, read once per connection (reasons already in words).
        "roles": {action: Answer(a.allowed, a.message or None, a.error)
                  for action, a in roles_of(user, meeting).items()},
        "you": {"user_id": user_id, "name": user.name if user else None,
                "party_id": m.party_id if m else None, "party": m.party.name if m else None,
                "can_chair": bool(user and can_chair_meeting(user, meeting)),
                "can_request": m is not None, "watch_only": user is None},
    }


def catch_up(meeting_id: int, since: Optional[int], upto: int) -> tuple[Optional[dict], list[dict]]:
    """Exactly the events after `since` up to `upto`, or a snapshot when the client is too far behind."""
    max_replay = current_app.config["COP_LIVE_REPLAY_MAX"]
    if db.engine.dialect.name == "postgresql":  # one consistent view: the state is exactly that of its seq
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    for _ in range(5):
        meeting = db.session.get(Meeting, meeting_id, populate_existing=True)
        seq = meeting.last_seq
        usable = isinstance(since, int) and not isinstance(since, bool) and 0 <= since <= seq
        if usable and upto - since <= max_replay:
            return None, events_after(meeting_id, since, upto) if since < upto else []
        state = snapshot(meeting)
        db.session.expire_all()
        # A commit between the two reads would make the state newer than seq (SQLite): read again.
        if db.session.get(Meeting, meeting_id).last_seq == seq:
            return {"type": "snapshot", "seq": seq, "state": state}, []
    raise RuntimeError("snapshot: the meeting kept changing")


#: A run of commands to one meeting shares a transaction for at most this long; then it commits, its clients are
#: answered, and the rest of the run goes on in the next one.
GROUP_SECONDS = 0.25


class _Line:
    """A command's log line: its name and ids only (its arguments may hold a ballot choice or a receipt), its outcome,
    its time until answered and the writer thread's CPU it took (the rest is waiting: the database, its locks, or the
    interpreter's lock held by the loop)."""

    def __init__(self, meeting_id: int, user_id: Optional[int], name: object, command_id: object,
                 request_id: Optional[str]):
        g.request_id = request_id or logs.new_id()
        self.started, self.cpu = time.perf_counter(), time.thread_time()
        self.fields = {"outcome": "error", "seq": None, "new": None, "request_id": g.request_id,
                       "meeting_id": meeting_id, "user_id": user_id, "command": str(name)[:48],
                       "command_id": str(command_id)[:64], "group": 1}

    def answered(self, outcome: tuple[bool, object]) -> None:
        """The command's outcome is known (it still has to commit when it is a success)."""
        ok, value = outcome
        if ok:
            self.fields.update(outcome="ack", seq=value[0]["seq"], new=value[1])
        else:
            self.failed(value)
        self.fields["cpu_ms"] = round((time.thread_time() - self.cpu) * 1000, 1)

    def failed(self, error: BaseException) -> None:
        """It was refused, or its transaction failed."""
        self.fields.update(outcome=error.code if isinstance(error, DomainError) else
                           "unavailable" if isinstance(error, DBAPIError) else "error", seq=None, new=None)

    def write(self) -> None:
        """Log the line (once its transaction has ended)."""
        self.fields.setdefault("cpu_ms", round((time.thread_time() - self.cpu) * 1000, 1))
        command_log.info("command", extra=dict(self.fields, duration_ms=round(
            (time.perf_counter() - self.started) * 1000, 1)))


def apply_command(meeting_id: int, user_id: Optional[int], session: Optional[str], name: object, args: object,
                  command_id: object, presence: Optional[list[int]] = None,
                  request_id: Optional[str] = None) -> tuple[dict, bool]:
    """Run one command in its own transaction (with the presence this server measured), if the connection's web
    session is still alive; return its event frame and whether it is new. Logs one line."""
    line = _Line(meeting_id, user_id, name, command_id, request_id)
    try:
        try:
            try:
                result = _run(meeting_id, user_id, session, name, args, command_id, presence)
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                # Its connection was cut (the database restarted while it sat in the pool, unpinged: see
                # cop/live/connections.py) before anything was committed: the command runs again, on a new one.
                db.session.rollback()
                result = _run(meeting_id, user_id, session, name, args, command_id, presence)
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            result = _recovered(error, meeting_id, user_id, command_id)
        line.answered((True, result))
        return result
    except Exception as error:
        line.answered((False, error))
        raise
    finally:
        line.write()


def apply_commands(jobs: list[tuple], settle) -> None:
    """A run of commands to one meeting, queued together (a vote's ballots), in as few transactions as
    GROUP_SECONDS allows: the meeting is locked once per transaction, each command runs in its own savepoint (it
    applies whole or not at all, and a refusal or a value the database cannot hold undoes that command alone), and
    one commit makes them durable together. `settle(outcomes)` answers the jobs of each transaction once it has
    committed, in order; if a commit fails, the exception goes up and the writer answers every job not yet answered
    with it (nothing of theirs was recorded: their clients send them again). Same arguments as apply_command's."""
    meeting_id, done, retried = jobs[0][0], 0, False
    while done < len(jobs):
        outcomes, lines, committing = [], [], False
        try:
            # The lock opens the transaction (on SQLite too: the savepoints nest in it) and is taken once.
            with _holding_rows(), journal.held(meeting_id) as meeting:
                # The group's accounts and memberships, read once (the group's session holds them).
                remember_people(meeting.conference_id, {job[1] for job in jobs[done:]})
                # From the lock on: the wait for it (the other live process's group) does not shorten this one.
                started = time.perf_counter()
                while done + len(outcomes) < len(jobs) and (
                        not outcomes or time.perf_counter() - started < GROUP_SECONDS):
                    job = jobs[done + len(outcomes)]
                    lines.append(_Line(meeting_id, job[1], job[3], job[5], job[7]))
                    outcomes.append(_in_savepoint(meeting_id, *job[1:7]))
                    lines[-1].answered(outcomes[-1])
                committing = True
                db.session.commit()
        except Exception as error:
            db.session.rollback()
            if not committing and not retried and _cut(error, outcomes):
                # Its connection was cut before the commit (nothing recorded): the transaction runs once more on a
                # new connection (see apply_command).
                retried, lines = True, []
                continue
            for line in lines:
                line.failed(error)
            raise
        finally:
            for line in lines:
                line.fields["group"] = len(lines)
                line.write()
        settle(outcomes)
        done += len(outcomes)


def _cut(error: BaseException, outcomes: list) -> bool:
    """Whether a group's transaction failed because its connection was cut (its lock, or one of its commands)."""
    return any(isinstance(e, DBAPIError) and e.connection_invalidated
               for e in [error] + [value for ok, value in outcomes if not ok])


def _in_savepoint(meeting_id: int, user_id: Optional[int], session: Optional[str], name: object, args: object,
                  command_id: object, presence: Optional[list[int]]) -> tuple[bool, object]:
    """One command of a group, in its own savepoint: (True, (frame, is_new)) or (False, the refusal)."""
    try:
        with db.session.begin_nested():
            return True, _run(meeting_id, user_id, session, name, args, command_id, presence)
    except Exception as error:
        journal.forget(meeting_id)  # its event, if written, was undone with the savepoint
        try:
            return True, _recovered(error, meeting_id, user_id, command_id)
        except Exception as refusal:
            return False, refusal


@contextmanager
def _holding_rows():
    """Keep every row loaded meanwhile in the session (the vote, the COP: read once for a group's commands, not once
    per command): the session holds its rows by weak references only, and a command's rows were gone by the next.
    The commit that ends the group expires them all."""
    held: list = []

    def hold(session, instance) -> None:
        held.append(instance)

    session = db.session()
    event.listen(session, "loaded_as_persistent", hold)
    try:
        yield
    finally:
        event.remove(session, "loaded_as_persistent", hold)
        held.clear()


def _run(meeting_id: int, user_id: Optional[int], session: Optional[str], name: object, args: object,
         command_id: object, presence: Optional[list[int]]) -> tuple[dict, bool]:
    """The command itself, in the current transaction; the caller commits."""
    user = session_user(user_id, session)
    event, is_new = run_command(meeting_id, user, name, args, command_id, presence)
    return event_frame(event), is_new


def _recovered(error: Exception, meeting_id: int, user_id: Optional[int], command_id: object) -> tuple[dict, bool]:
    """After a command failed and its changes were undone: the winner's event when two copies of one command raced
    (the loser reports the winner's seq); a refusal for good when a value cannot be held by the database; else the
    error itself."""
    if isinstance(error, IntegrityError):
        event = find_resent(meeting_id, user_id, command_id)
        if event is None:
            raise error
        return event_frame(event), False
    if isinstance(error, (DataError, OverflowError, UnicodeEncodeError)) or (
            isinstance(error, StatementError) and isinstance(
                getattr(error, "orig", None), (OverflowError, UnicodeEncodeError, ValueError))):
        raise Invalid("Une valeur envoyée dépasse ce que la plateforme peut enregistrer "
                      "(nombre trop grand ou texte illisible).") from None
    raise error


def fetch_events(meeting_id: int, since: int, upto: Optional[int] = None) -> list[dict]:
    """Event frames after since (up to upto), to fill a gap."""
    return events_after(meeting_id, since, upto)


def last_seqs(meeting_ids: list[int]) -> dict[int, int]:
    """The last seq of each meeting, to notice events written by the web door."""
    rows = db.session.execute(db.select(Meeting.id, Meeting.last_seq).filter(Meeting.id.in_(meeting_ids)))
    return dict(rows.all())


def still_allowed(meeting_id: int, user_ids: list[int]) -> dict[int, str]:
    """Of these users, those who may still follow the meeting (not disabled, still participants), with the session
    nonce their connections must carry (a connection of an ended web session is closed)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return {}
    users = db.session.scalars(db.select(User).filter(User.id.in_(user_ids))).all()
    return {u.id: u.session_nonce for u in users if not u.is_disabled and can_watch_meeting(u, meeting)}
