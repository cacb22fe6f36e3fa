"""The daily digest: for each person who chose it, once a day, what changed since their last visit — the notices
held for them, new commitment versions in their filières, decisions, roadmap documents — in their language;
nothing is sent when nothing changed."""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from flask import current_app
from flask_babel import gettext as _

from cop.auth.models import User
from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector
from cop.conferences.models import Membership
from cop.db import db
from cop.negotiation.decisions.models import Decision
from cop.notify.compose import notify
from cop.notify.links import link
from cop.notify.models import Delivery, MailMode, OutboxMessage
from cop.notify.preferences import MailKind
from cop.roadmap.models import Roadmap, RoadmapVersion

#: Never look back further than this, however long ago the person last came.
LONGEST_LOOK_BACK = timedelta(days=7)


@dataclass
class Changes:
    """What one digest lists."""

    held: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    documents: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.held or self.commitments or self.decisions or self.documents)


def due_moment(now: datetime) -> datetime:
    """The latest daily sending moment (COP_DIGEST_HOUR, UTC) at or before now."""
    today = datetime.combine(now.date(), time(current_app.config["COP_DIGEST_HOUR"]), tzinfo=timezone.utc)
    return today if now >= today else today - timedelta(days=1)


def since(user: User, now: datetime) -> datetime:
    """The later of the last digest and the last visit (a week back at most)."""
    moments = [m for m in (user.last_digest_dt, user.last_visit_dt) if m is not None]
    moments = [m if m.tzinfo else m.replace(tzinfo=timezone.utc) for m in moments]
    return max([now - LONGEST_LOOK_BACK, *moments])


def changes(user: User, start: datetime) -> Changes:
    """What changed for this person since `start` in the COPs they belong to."""
    found = Changes(held=list(db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.user_id == user.id, OutboxMessage.delivery == Delivery.DIGEST, OutboxMessage.sent_dt.is_(None))
        .order_by(OutboxMessage.id))))
    for m in db.session.scalars(db.select(Membership).filter_by(user_id=user.id).order_by(Membership.id)):
        _commitments(found, m, start)
        found.decisions += db.session.scalars(db.select(Decision).where(
            Decision.conference_id == m.conference_id, Decision.created_dt > start).order_by(Decision.number))
        found.documents += db.session.scalars(db.select(RoadmapVersion).join(Roadmap).where(
            Roadmap.conference_id == m.conference_id,
            db.or_(RoadmapVersion.submitted_dt > start, RoadmapVersion.adopted_dt > start))
            .order_by(RoadmapVersion.number))
    return found


def _commitments(found: Changes, m: Membership, start: datetime) -> None:
    """Versions submitted since `start`, in the party's priority filières (every filière for the COP's staff)."""
    query = db.select(CommitmentVersion).join(Commitment).where(
        Commitment.conference_id == m.conference_id, CommitmentVersion.submitted_dt > start)
    if m.party_id is not None:
        sectors = db.select(PartyPrioritySector.sector_id).where(PartyPrioritySector.party_id == m.party_id)
        own = db.select(Commitment.sector_id).where(Commitment.party_id == m.party_id)
        query = query.where(db.or_(Commitment.sector_id.in_(sectors), Commitment.sector_id.in_(own)))
    found.commitments += db.session.scalars(query.order_by(CommitmentVersion.submitted_dt))


def send(user: User, now: datetime) -> bool:
    """Build and queue one person's digest (the notices it lists count as delivered); False when nothing changed."""
    found = changes(user, since(user, now))
    user.last_digest_dt = now
    if not found:
        return False
    notify(user, MailKind.DIGEST, f"digest:{user.id}:{due_moment(now).date().isoformat()}",
           lambda: _("Ce qui a changé depuis votre dernière visite"), "mail/digest.txt", changes=found,
           link=link)
    for message in found.held:
        message.sent_dt = now
    return True


def run(now: datetime) -> dict[str, int]:
    """Every digest due at `now` (one per person and day), each in its own transaction."""
    moment, counts = due_moment(now), {"digests": 0, "quiet": 0}
    users = db.session.scalars(db.select(User).where(
        User.mail_mode == MailMode.DIGEST, User.unsubscribed_dt.is_(None), User.is_disabled.is_(False),
        db.or_(User.last_digest_dt.is_(None), User.last_digest_dt < moment)).order_by(User.id)).all()
    for user in users:
        counts["digests" if send(user, now) else "quiet"] += 1
        db.session.commit()
    return counts
