"""The consensus gavel: the chair proposes, heads of delegation may object within the window, silence adopts."""
from datetime import datetime, timedelta
from typing import Optional

from cop.auth.models import User
from cop.db import db
from cop.errors import Conflict, Forbidden, NotFound
from cop.loaders import is_id
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.rules import aware
from cop.negotiation.decisions.models import Decision, Objection, ObjectionWindow
from cop.negotiation.decisions.operations import adopt, check_decidable
from cop.negotiation.texts.models import Paragraph
from cop.notify import decision_mail
from cop.negotiation.services import MAX_REASON, clean_text, draft_of, record, require_chair
from cop.permissions import objecting_membership


def window_of(meeting: Meeting, window_id) -> ObjectionWindow:
    """An objection window of this meeting, or NotFound."""
    window = db.session.get(ObjectionWindow, window_id) if is_id(window_id) else None
    if window is None or window.meeting_id != meeting.id:
        raise NotFound("Cette proposition d’adoption n’existe pas dans cette séance.")
    return window


def propose(user: User, meeting: Meeting, item: AgendaItem, paragraph: Optional[Paragraph],
            now: datetime) -> ObjectionWindow:
    """The chair proposes adoption by consensus: the objection window of the rules opens."""
    require_chair(user, meeting)
    check_decidable(meeting, item, paragraph)
    draft = draft_of(item)
    seconds = meeting.conference.objection_window_seconds
    window = ObjectionWindow(meeting_id=meeting.id, agenda_item_id=item.id,
                             paragraph_id=paragraph.id if paragraph else None,
                             draft_version=draft.version if draft else None, opened_by_id=user.id,
                             opened_dt=now, ends_dt=now + timedelta(seconds=seconds))
    db.session.add(window)
    db.session.flush()
    decision_mail.window_opened(meeting, item, window)
    return window


def _open(window: ObjectionWindow) -> None:
    """Only a window still running (or awaiting its gavel) accepts changes."""
    if window.state != "open":
        raise Conflict("Cette proposition d’adoption est close.")


def raise_objection(user: User, meeting: Meeting, window: ObjectionWindow, reason, now: datetime) -> Objection:
    """A head of delegation objects, with a reason, before the window ends: the adoption is blocked."""
    m = objecting_membership(user, meeting.conference)
    if m is None:
        raise Forbidden("Seul le chef d’une délégation accréditée peut faire objection.")
    _open(window)
    if now >= aware(window.ends_dt):
        raise Conflict("Le délai d’objection est écoulé : l’objection n’est pas recevable.")
    reason = clean_text(reason, "Le motif de l’objection", limit=MAX_REASON)
    if any(o.party_id == m.party_id and o.state == "standing" for o in window.objections):
        raise Conflict("Votre délégation a déjà une objection en cours sur cette proposition.")
    objection = Objection(window_id=window.id, party_id=m.party_id, user_id=user.id, reason=reason, created_dt=now)
    db.session.add(objection)
    db.session.flush()
    record("objection.raised", objection, user, meeting, party=m.party_id, window=window.id)
    return objection


def objection_of(meeting: Meeting, objection_id) -> Objection:
    """An objection made in this meeting, or NotFound."""
    objection = db.session.get(Objection, objection_id) if is_id(objection_id) else None
    if objection is None or objection.window.meeting_id != meeting.id:
        raise NotFound("Cette objection n’existe pas dans cette séance.")
    return objection


def withdraw_objection(user: User, meeting: Meeting, objection: Objection, now: datetime) -> Objection:
    """The objecting delegation's head withdraws it; it stays in the record."""
    m = objecting_membership(user, meeting.conference)
    if m is None or m.party_id != objection.party_id:
        raise Forbidden("Seul le chef de la délégation qui a fait objection peut la retirer.")
    _open(objection.window)
    if objection.state != "standing":
        raise Conflict("Cette objection n’est plus en cours.")
    objection.state, objection.resolved_dt = "withdrawn", now
    record("objection.withdrawn", objection, user, meeting)
    return objection


def overrule(user: User, meeting: Meeting, objection: Objection, ruling, now: datetime) -> Objection:
    """The chair rules an objection out, with reasons; it stays in the record."""
    require_chair(user, meeting)
    _open(objection.window)
    if objection.state != "standing":
        raise Conflict("Cette objection n’est plus en cours.")
    objection.ruling = clean_text(ruling, "Le motif de la décision de la présidence", limit=MAX_REASON)
    objection.state, objection.resolved_dt = "overruled", now
    record("objection.overruled", objection, user, meeting, ruling=objection.ruling)
    return objection


def cancel(user: User, meeting: Meeting, window: ObjectionWindow, now: datetime) -> ObjectionWindow:
    """The chair withdraws the proposal before the gavel."""
    require_chair(user, meeting)
    _open(window)
    window.state, window.closed_dt = "cancelled", now
    return window


def settle(meeting: Meeting, window: ObjectionWindow, now: datetime, user: Optional[User] = None) -> Optional[Decision]:
    """After the window: a standing objection blocks; silence gavels the decision. Idempotent by state."""
    _open(window)
    left = (aware(window.ends_dt) - now).total_seconds()
    if left > 0:
        raise Conflict("Le délai d’objection court encore (%(left)s s).", left=int(left) + 1)
    window.closed_dt = now
    if any(o.state == "standing" for o in window.objections):
        window.state = "blocked"
        record("decision.blocked", window, user, meeting, item=window.agenda_item_id)
        return None
    paragraph = db.session.get(Paragraph, window.paragraph_id) if window.paragraph_id else None
    decision = adopt(user, meeting, window.agenda_item, paragraph, "consensus", now)
    window.state, window.decision_id = "adopted", decision.id
    return decision


def due_windows(now: datetime) -> list[tuple[int, int]]:
    """(meeting id, window id) of the open windows whose time is up, for the live server's timer."""
    rows = db.session.execute(db.select(ObjectionWindow.meeting_id, ObjectionWindow.id, ObjectionWindow.ends_dt)
                              .filter_by(state="open")).all()
    return [(m, w) for m, w, ends in rows if aware(ends) <= now]
