"""What is still pending in a COP when its phase is about to move: reviews, open meetings, unsigned parties."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l, ngettext

from cop.conferences.models import Conference, Party
from cop.db import db
from cop.rulebook.phases import SITTING


@dataclass(frozen=True)
class Pending:
    """One kind of unfinished work: a code for the audit log, a count and a sentence for the page."""

    code: str
    count: int
    text: str


def _count(query) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0


def _reviews(conference: Conference) -> list[Pending]:
    """Commitment versions and progress reports awaiting the presidency's review."""
    from cop.commitments.models import Commitment, CommitmentVersion  # (features import conferences, not back)
    from cop.followup.models import ProgressReport
    versions = _count(db.select(CommitmentVersion.id).join(Commitment)
                      .where(Commitment.conference_id == conference.id, CommitmentVersion.status == "submitted"))
    reports = _count(db.select(ProgressReport.id).join(Party, Party.id == ProgressReport.party_id)
                     .where(Party.conference_id == conference.id, ProgressReport.state == "submitted"))
    return [p for p in (
        Pending("commitment_reviews", versions, ngettext("%(num)s version d’engagement attend son examen.",
                                                         "%(num)s versions d’engagement attendent leur examen.",
                                                         versions)),
        Pending("progress_reviews", reports, ngettext("%(num)s rapport d’avancement attend son examen.",
                                                      "%(num)s rapports d’avancement attendent leur examen.",
                                                      reports)),
    ) if p.count]


def _meetings(conference: Conference, to_phase: str) -> list[Pending]:
    """Meetings still sitting, and scheduled meetings that could not sit in the new phase."""
    from cop.meetings.models import Meeting
    meetings = db.session.scalars(db.select(Meeting).filter_by(conference_id=conference.id)).all()
    sitting = [m for m in meetings if m.state in ("open", "suspended")]
    stranded = [m for m in meetings if m.state == "scheduled" and to_phase not in SITTING[m.kind]]
    found = []
    if sitting:
        found.append(Pending("open_meetings", len(sitting), str(_l("Séance(s) encore ouverte(s) : %(names)s.",
                                                                  names=", ".join(m.title for m in sitting)))))
    if stranded:
        found.append(Pending("stranded_meetings", len(stranded), str(_l(
            "Séance(s) programmée(s) qui ne pourront pas siéger dans la nouvelle phase : %(names)s.",
            names=", ".join(m.title for m in stranded)))))
    return found


def _signatures(conference: Conference) -> list[Pending]:
    """Accredited parties that have not signed the roadmap in force."""
    from cop.roadmap.models import Roadmap, RoadmapVersion, Signature
    version = db.session.scalar(db.select(RoadmapVersion).join(Roadmap)
                                .where(Roadmap.conference_id == conference.id, RoadmapVersion.state == "adopted"))
    if version is None:
        return []
    signed = db.select(Signature.party_id).where(Signature.version_id == version.id)
    names = db.session.scalars(db.select(Party.name).where(
        Party.conference_id == conference.id, Party.accreditation == "accredited",
        Party.id.not_in(signed)).order_by(Party.name)).all()
    if not names:
        return []
    shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
    return [Pending("unsigned_parties", len(names), str(_l(
        "%(n)s partie(s) accréditée(s) n’ont pas signé la feuille de route : %(names)s.", n=len(names), names=shown)))]


def pending(conference: Conference, to_phase: str) -> list[Pending]:
    """Everything unfinished that a move to `to_phase` would leave behind."""
    return _reviews(conference) + _meetings(conference, to_phase) + _signatures(conference)
