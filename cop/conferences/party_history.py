"""A party's public history: invitation and accreditation, then each version it filed and its review."""
import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from cop import labels
from cop.audit.models import AuditEvent
from cop.auth.services import is_aware
from cop.conferences.models import Party
from cop.db import db


@dataclass
class Step:
    """One dated line of the history, with the commitment it concerns when there is one."""

    at: datetime
    text: str
    commitment_id: int | None = None


def party_history(party: Party) -> list[Step]:
    """Newest first: accreditation steps and filed versions (drafts are private and left out)."""
    from cop.commitments.models import Commitment, CommitmentVersion   # conferences loads before commitments

    steps = [_party_step(event) for event in db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.subject_type == "party", AuditEvent.subject_id == party.id,
        AuditEvent.action.in_(("party.invited", "party.accreditation_set"))))]
    versions = db.session.scalars(db.select(CommitmentVersion).join(Commitment).where(
        Commitment.party_id == party.id, CommitmentVersion.submitted_dt.is_not(None)))
    for version in versions:
        sector, number = version.commitment.sector.name, version.number
        steps.append(Step(version.submitted_dt, _("« %(sector)s » : version %(n)s soumise", sector=sector, n=number),
                          version.commitment_id))
        if version.reviewed_dt is not None:
            text = (_("« %(sector)s » : version %(n)s acceptée", sector=sector, n=number)
                    if version.status in ("accepted", "withdrawn") else
                    _("« %(sector)s » : version %(n)s renvoyée à la partie", sector=sector, n=number))
            steps.append(Step(version.reviewed_dt, text, version.commitment_id))
    return sorted(steps, key=lambda step: is_aware(step.at), reverse=True)


def _party_step(event: AuditEvent) -> Step:
    """An invitation or an accreditation change of the party."""
    if event.action == "party.invited":
        return Step(event.created_dt, _("Invitée à la COP"))
    state = json.loads(event.data or "{}").get("to", "")
    return Step(event.created_dt, _("Accréditation : %(state)s", state=labels.ACCREDITATION_LABELS.get(state, state)))
