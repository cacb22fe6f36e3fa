"""Submitting a draft (with the progression check), reviewing a version, withdrawing a commitment."""
from typing import Optional

from flask_babel import gettext

from cop.audit.anchor import figures_sha256
from cop.audit.services import record
from cop.auth.models import User
from cop.commitments import drafts, sealing
from cop.commitments.labels import FIELD_LABELS
from cop.commitments.models import Commitment, CommitmentVersion
from cop.commitments.progression import lowered_pledges
from cop.commitments.services import touch
from cop.db import utcnow
from cop.errors import N_, Conflict, Invalid, WrongPhase
from cop.notify import commitment_mail
from cop.roadmap import binding
from cop.rulebook import allowed, in_phase, require
from cop.rulebook.enums import CommitmentStatus
from cop.rulebook.states import draft_open, filing_action

REQUIRED_TEXTS = ("scope", "actions", "assumptions_method", "local_preparation", "fairness_ambition",
                  "regional_contribution")


class Incomplete(Invalid):
    """A draft that cannot be submitted as it is; `fields` maps each field concerned to its message (None: the
    error's own), translated when read."""

    def __init__(self, message: str, fields: dict[str, Optional[str]], **params):
        super().__init__(message, **params)
        self._fields = fields

    @property
    def fields(self) -> dict[str, str]:
        """Each field's message in the reader's language."""
        return {name: gettext(text) if text else self.message for name, text in self._fields.items()}


def step_backs(new: CommitmentVersion, base: CommitmentVersion) -> list[str]:
    """How the new version lowers the pledges of the base: unconditional values or totals with conditions."""
    return lowered_pledges(new, base)


def _check_complete(draft: CommitmentVersion) -> None:
    """A submitted version carries at least one pledge and every clarity field."""
    missing = [name for name in REQUIRED_TEXTS if not getattr(draft, name).strip()]
    if not draft.pledges:
        raise Incomplete("Ajoutez au moins une cible chiffrée avant de soumettre.", {"pledges": None})
    if missing:
        names = ", ".join(f"« {FIELD_LABELS[name]} »" for name in missing)
        raise Incomplete("Complétez avant de soumettre : %(names)s.",
                         {name: N_("À compléter avant de soumettre.") for name in missing}, names=names)


def submit(user: User, commitment: Commitment, expected_version: int) -> CommitmentVersion:
    """Freeze the draft as a numbered, timestamped version, after the progression check."""
    conference = commitment.party.conference
    allowed(filing_action(commitment), user, commitment.party)
    require(draft_open(commitment))
    draft = drafts.current_draft(commitment)
    if expected_version != commitment.version:
        raise Conflict("Le brouillon a changé depuis que vous l’avez ouvert : relisez-le avant de le soumettre.")
    drafts.validate(drafts.snapshot(draft), commitment.party)
    _check_complete(draft)
    base = drafts.baseline(commitment, before=draft.number) or binding.previous_edition_baseline(commitment)
    backs = step_backs(draft, base) if base else []
    if backs and not in_phase("commitment.step_back", conference):
        raise WrongPhase(
            "Après l’appel à engagements, une révision ne peut que relever les cibles : %(list)s.",
            list=" ; ".join(backs))
    if backs and not draft.justification.strip():
        raise Incomplete(
            "Cette version est en recul sur la version %(number)s (%(list)s) : une justification est obligatoire.",
            {"justification": None}, number=base.number, list=" ; ".join(backs))
    binding.check_signed_pledges(commitment, draft)
    draft.status, draft.is_step_back = CommitmentStatus.SUBMITTED, bool(backs)
    draft.submitted_dt, draft.submitted_by_id = utcnow(), user.id
    commitment.status = CommitmentStatus.SUBMITTED
    if commitment.is_hidden:
        sealing.seal_submitted(draft, user)
    touch(commitment)
    record("commitment.submitted", "commitment_version", draft.id, actor=user, conference_id=conference.id,
           data={"commitment": commitment.id, "number": draft.number, "is_step_back": draft.is_step_back})
    commitment_mail.version_event(draft)
    return draft


def review(user: User, version: CommitmentVersion, accept: bool, comment: str) -> CommitmentVersion:
    """The presidency accepts a submitted version into the synthesis, or returns it with comments."""
    commitment = version.commitment
    conference = commitment.party.conference
    allowed("commitment.review", user, conference, version)
    comment = (comment or "").strip()
    if not accept and not comment:
        raise Invalid("Dites à la partie ce qu’elle doit revoir : le commentaire est obligatoire.")
    version.status = CommitmentStatus.ACCEPTED if accept else CommitmentStatus.RETURNED
    version.review_comment, version.reviewed_by_id, version.reviewed_dt = comment, user.id, utcnow()
    if drafts.public_versions(commitment)[-1] is version and not commitment.is_withdrawn:
        commitment.status = version.status
    touch(commitment)
    data = {"commitment": commitment.id, "number": version.number}
    if accept:  # the accepted figures are sealed in the chain: an edit in the database is caught by `audit verify`
        data["figures_sha256"] = figures_sha256(version)
    record(f"commitment.{version.status}", "commitment_version", version.id, actor=user,
           conference_id=conference.id, data=data)
    commitment_mail.version_event(version)
    return version


def withdraw(user: User, commitment: Commitment, reason: str) -> Commitment:
    """Record the withdrawal of a filed commitment: it leaves the synthesis, its history stays."""
    allowed("commitment.withdraw", user, commitment.party, commitment)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Indiquez pourquoi la partie retire cet engagement.")
    drafts.public_versions(commitment)[-1].status = CommitmentStatus.WITHDRAWN
    commitment.status, commitment.withdrawal_reason = CommitmentStatus.WITHDRAWN, reason
    touch(commitment)
    record("commitment.withdrawn", "commitment", commitment.id, actor=user,
           conference_id=commitment.conference_id, data={"reason": reason})
    return commitment
