"""Submitting a draft (with the progression check), reviewing a version, withdrawing a commitment."""
from cop import permissions
from cop.audit.services import record
from cop.auth.models import User
from cop.commitments import drafts
from cop.commitments.labels import FIELD_LABELS
from cop.commitments.models import Commitment, CommitmentVersion
from cop.commitments.progression import lowered_pledges
from cop.commitments.services import FILING_PHASE, touch, check_filer, check_filing_phase
from cop.db import utcnow
from cop.errors import Conflict, Forbidden, Invalid, WrongPhase
from cop.roadmap import binding

REQUIRED_TEXTS = ("scope", "actions", "assumptions_method", "local_preparation", "fairness_ambition",
                  "regional_contribution")


def step_backs(new: CommitmentVersion, base: CommitmentVersion) -> list[str]:
    """How the new version lowers the pledges of the base: unconditional values or totals with conditions."""
    return lowered_pledges(new, base)


def _check_complete(draft: CommitmentVersion) -> None:
    """A submitted version carries at least one pledge and every clarity field."""
    missing = [name for name in REQUIRED_TEXTS if not getattr(draft, name).strip()]
    if not draft.pledges:
        raise Invalid("Ajoutez au moins une cible chiffrée avant de soumettre.")
    if missing:
        names = ", ".join(f"« {FIELD_LABELS[name]} »" for name in missing)
        raise Invalid(f"Complétez avant de soumettre : {names}.")


def submit(user: User, commitment: Commitment, expected_version: int) -> CommitmentVersion:
    """Freeze the draft as a numbered, timestamped version, after the progression check."""
    check_filer(user, commitment.party)
    conference = commitment.party.conference
    check_filing_phase(conference, commitment)
    draft = drafts.current_draft(commitment)
    if draft is None:
        raise Conflict("Il n’y a pas de brouillon à soumettre.")
    if expected_version != commitment.version:
        raise Conflict("Le brouillon a changé depuis que vous l’avez ouvert : relisez-le avant de le soumettre.")
    drafts.validate(drafts.snapshot(draft), commitment.party)
    _check_complete(draft)
    base = drafts.baseline(commitment, before=draft.number) or binding.previous_edition_baseline(commitment)
    backs = step_backs(draft, base) if base else []
    if backs and conference.phase != FILING_PHASE:
        raise WrongPhase("Après l’appel à engagements, une révision ne peut que relever les cibles : "
                         + " ; ".join(backs) + ".")
    if backs and not draft.justification.strip():
        raise Invalid(f"Cette version est en recul sur la version {base.number} ("
                      + " ; ".join(backs) + ") : une justification est obligatoire.")
    binding.check_signed_pledges(commitment, draft)
    draft.status, draft.is_step_back = "submitted", bool(backs)
    draft.submitted_dt, draft.submitted_by_id = utcnow(), user.id
    commitment.status = "submitted"
    touch(commitment)
    record("commitment.submitted", "commitment_version", draft.id, actor=user, conference_id=conference.id,
           data={"commitment": commitment.id, "number": draft.number, "is_step_back": draft.is_step_back})
    return draft


def review(user: User, version: CommitmentVersion, accept: bool, comment: str) -> CommitmentVersion:
    """The presidency accepts a submitted version into the synthesis, or returns it with comments."""
    commitment = version.commitment
    conference = commitment.party.conference
    if not permissions.can_manage_conference(user, conference):
        raise Forbidden("Seule la présidence de la COP examine les engagements.")
    if conference.phase in ("preparation", "closed"):
        raise WrongPhase("La COP n’examine pas d’engagement dans sa phase actuelle.")
    if version.status != "submitted":
        raise Conflict("Cette version a déjà été examinée ou n’a pas été soumise.")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise Invalid("Dites à la partie ce qu’elle doit revoir : le commentaire est obligatoire.")
    version.status = "accepted" if accept else "returned"
    version.review_comment, version.reviewed_by_id, version.reviewed_dt = comment, user.id, utcnow()
    if drafts.public_versions(commitment)[-1] is version and commitment.status != "withdrawn":
        commitment.status = version.status
    touch(commitment)
    record(f"commitment.{version.status}", "commitment_version", version.id, actor=user,
           conference_id=conference.id, data={"commitment": commitment.id, "number": version.number})
    return version


def withdraw(user: User, commitment: Commitment, reason: str) -> Commitment:
    """Record the withdrawal of a filed commitment: it leaves the synthesis, its history stays."""
    check_filer(user, commitment.party)
    if commitment.party.conference.phase != FILING_PHASE:
        raise WrongPhase("Un engagement ne peut être retiré que pendant l’appel à engagements.")
    if commitment.status in ("draft", "withdrawn"):
        raise Conflict("Seul un engagement déposé et non retiré peut être retiré.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Indiquez pourquoi la partie retire cet engagement.")
    drafts.public_versions(commitment)[-1].status = "withdrawn"
    commitment.status, commitment.withdrawal_reason = "withdrawn", reason
    touch(commitment)
    record("commitment.withdrawn", "commitment", commitment.id, actor=user,
           conference_id=commitment.conference_id, data={"reason": reason})
    return commitment
