"""Progress reports: a party reports what it achieved per pledge and year; the presidency reviews."""
from decimal import Decimal
from typing import Optional
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cop.audit.services import record
from cop.auth.models import User
from cop.commitments.models import CommitmentVersion, Pledge
from cop.conferences.models import Party
from cop.db import db, utcnow
from cop import rulebook
from cop.errors import Conflict, Invalid, NotFound
from cop.followup.models import ProgressReport
from cop.numbers import parse_decimal
from cop.roadmap.models import Roadmap, RoadmapCommitment, RoadmapVersion
from cop.rulebook.enums import ReportState
from cop.rulebook.states import object_allows

MAX_COMMENT = 5_000


def adopted_pledge(party: Party, pledge_id) -> Pledge:
    """A pledge of this party within the roadmap version in force, else NotFound."""
    pledge = db.session.scalar(
        db.select(Pledge).join(RoadmapCommitment, RoadmapCommitment.commitment_version_id == Pledge.version_id)
        .join(RoadmapVersion, RoadmapVersion.id == RoadmapCommitment.version_id).join(Roadmap)
        .where(Pledge.id == pledge_id, RoadmapCommitment.party_id == party.id, RoadmapVersion.state == "adopted",
               Roadmap.conference_id == party.conference_id)) if isinstance(pledge_id, int) else None
    if pledge is None:
        raise NotFound("Cette cible ne figure pas parmi les engagements de la partie dans la feuille de route adoptée.")
    return pledge


def clean_input(pledge: Pledge, year, value, evidence_url: str, comment: str) -> tuple[int, Decimal, str, str]:
    """Check the year, the value, the link and the comment; return them cleaned."""
    if not isinstance(year, int) or not pledge.reference_year < year <= pledge.target_year:
        raise Invalid(
            "L’année du rapport va de %(reference_year)s à %(target_year)s.",
            reference_year=pledge.reference_year + 1, target_year=pledge.target_year)
    try:
        amount = parse_decimal(str(value) if value is not None else "")
    except ValueError as error:
        raise Invalid("La valeur atteinte est un nombre positif ou nul : %(error)s.", error=error) from None
    if amount is None or amount < 0 or amount >= Decimal("1e16"):
        raise Invalid("La valeur atteinte est un nombre positif ou nul.")
    url = (evidence_url or "").strip()
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500):
        raise Invalid("Le justificatif est un lien http:// ou https:// (500 caractères au plus).")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise Invalid("Le commentaire compte %(n)s caractères au plus.", n=MAX_COMMENT)
    return year, amount.quantize(Decimal("0.01")), url, comment


def report(user: User, party: Party, pledge_id, year, value, evidence_url: str = "", comment: str = "",
           expected: Optional[int] = None) -> ProgressReport:
    """File (or correct, until accepted) the party's report for one pledge and one year."""
    rulebook.allowed("progress.report", user, party)
    pledge = adopted_pledge(party, pledge_id)
    year, amount, url, comment = clean_input(pledge, year, value, evidence_url, comment)
    commitment_id = db.session.scalar(db.select(CommitmentVersion.commitment_id).filter_by(id=pledge.version_id))
    item = db.session.scalar(db.select(ProgressReport).filter_by(commitment_id=commitment_id,
                                                                 indicator_id=pledge.indicator_id, year=year))
    rulebook.allowed("progress.report", user, party, item)
    if item is not None and expected is not None and expected != item.row_version:
        raise Conflict("Ce rapport a été modifié depuis que vous l’avez ouvert : relisez-le, votre saisie n’a pas "
                       "été enregistrée.")
    if item is None:
        item = ProgressReport(conference_id=party.conference_id, party_id=party.id, commitment_id=commitment_id,
                              indicator_id=pledge.indicator_id, year=year)
        db.session.add(item)
    item.pledge_id, item.achieved_value, item.evidence_url, item.comment = pledge.id, amount, url, comment
    item.state, item.reported_by_id, item.reported_dt = ReportState.SUBMITTED, user.id, utcnow()
    _flush()
    record("progress.reported", "progress_report", item.id, actor=user, conference_id=party.conference_id,
           data={"party": party.id, "pledge": pledge.id, "year": year, "achieved": amount})
    return item


def review(user: User, item: ProgressReport, accept: bool, comment: str = "",
           expected: Optional[int] = None) -> ProgressReport:
    """The presidency accepts a report, or questions the party (the question is required)."""
    rulebook.allowed("progress.review", user, item.party.conference)
    if expected is not None and expected != item.row_version:
        raise Conflict("La partie a modifié ce rapport depuis que vous l’avez ouvert : relisez-le.")
    rulebook.require(object_allows("progress.review", item))
    comment = (comment or "").strip()
    if not accept and not comment:
        raise Invalid("Posez votre question à la partie : le commentaire est obligatoire.")
    item.state = ReportState.ACCEPTED if accept else ReportState.QUESTIONED
    item.review_comment, item.reviewed_by_id, item.reviewed_dt = comment[:MAX_COMMENT], user.id, utcnow()
    _flush()
    record("progress.reviewed", "progress_report", item.id, actor=user, conference_id=item.conference_id,
           data={"state": item.state})
    return item


def _flush() -> None:
    """Flush, turning a concurrent write of the same report into a conflict."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict("Ce rapport a été modifié au même moment par une autre personne : rechargez la page.") \
            from None
