"""Progress report due: once a year, the filers of each party that has not reported last year's results against
its adopted pledges are reminded (the mail worker's daily tick; once per party, year and person)."""
from datetime import datetime

from flask_babel import gettext as _

from cop.commitments.models import CommitmentVersion, Pledge
from cop.conferences.models import Conference, Party
from cop.db import db
from cop.followup.models import ProgressReport
from cop.notify.commitment_mail import filers
from cop.notify.compose import notify
from cop.notify.links import link
from cop.notify.preferences import MailKind
from cop.roadmap.models import Roadmap, RoadmapCommitment, RoadmapVersion
from cop.rulebook import in_phase


def missing(version: RoadmapVersion, year: int) -> dict[int, int]:
    """Per party of the adopted version: how many of its pledges running through `year` have no report for it."""
    reported = db.select(ProgressReport.id).where(ProgressReport.commitment_id == CommitmentVersion.commitment_id,
                                                  ProgressReport.indicator_id == Pledge.indicator_id,
                                                  ProgressReport.year == year).exists()
    rows = db.session.execute(
        db.select(RoadmapCommitment.party_id, db.func.count(Pledge.id))
        .join(CommitmentVersion, CommitmentVersion.id == RoadmapCommitment.commitment_version_id)
        .join(Pledge, Pledge.version_id == CommitmentVersion.id)
        .where(RoadmapCommitment.version_id == version.id, Pledge.reference_year < year, Pledge.target_year >= year,
               ~reported)
        .group_by(RoadmapCommitment.party_id))
    return dict(rows.all())


def remind(now: datetime) -> int:
    """Queue the reminders of the report period that ended last 31 December; returns how many were new."""
    year, queued = now.year - 1, 0
    for conference in db.session.scalars(db.select(Conference).order_by(Conference.id)):
        if not in_phase("progress.report", conference):
            continue
        version = db.session.scalar(db.select(RoadmapVersion).join(Roadmap).where(
            Roadmap.conference_id == conference.id, RoadmapVersion.state == "adopted"))
        if version is None:
            continue
        for party_id, count in missing(version, year).items():
            queued += _remind_party(db.session.get(Party, party_id), year, count)
    return queued


def _remind_party(party: Party, year: int, count: int) -> int:
    """One reminder per filer of the party for the year."""
    url = link("followup.scorecard", conference_id=party.conference_id, party_id=party.id)
    queued = 0
    for user in filers(party):
        message = notify(user, MailKind.PROGRESS_DUE, f"progress.due:{party.id}:{year}:{user.id}",
                         lambda: _("Rapport d’avancement %(year)s attendu : %(party)s", year=year, party=party.name),
                         "mail/progress_due.txt", party=party, year=year, count=count, url=url)
        queued += message is not None
    return queued
