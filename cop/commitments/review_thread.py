"""The thread between a party and the presidency about a filed version: questions, answers, the decision."""
from cop.audit.services import record
from cop.auth.models import User
from cop.commitments.models import CommitmentVersion, ReviewComment
from cop.db import db
from cop.errors import Invalid
from cop.rulebook import allowed

MAX_BODY = 5000


def add_comment(user: User, version: CommitmentVersion, body: str) -> ReviewComment:
    """Add a message to the version's thread (the party's filers and the COP's managers, while it is reviewed)."""
    party = version.commitment.party
    allowed("commitment.comment", user, party, version)
    body = (body or "").strip()
    if not body or len(body) > MAX_BODY:
        raise Invalid("Écrivez un message de 1 à %(max)s caractères.", max=MAX_BODY)
    comment = ReviewComment(version_id=version.id, author_id=user.id, body=body)
    db.session.add(comment)
    db.session.flush()
    record("commitment.commented", "commitment_version", version.id, actor=user,
           conference_id=party.conference_id, data={"comment": comment.id})
    return comment


def thread(version: CommitmentVersion) -> list[ReviewComment]:
    """The version's messages, oldest first."""
    return list(db.session.scalars(db.select(ReviewComment).filter_by(version_id=version.id)
                                   .order_by(ReviewComment.created_dt, ReviewComment.id)))


def counts(version_ids: list[int]) -> dict[int, int]:
    """How many messages each version's thread holds."""
    if not version_ids:
        return {}
    rows = db.session.execute(db.select(ReviewComment.version_id, db.func.count()).where(
        ReviewComment.version_id.in_(version_ids)).group_by(ReviewComment.version_id))
    return dict(rows.all())
