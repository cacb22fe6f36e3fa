"""Where a new commitment starts: empty, or a copy of another of the party's commitments.

(The commitment a party signed in the previous edition is carried into the next one as its first draft when the
presidency opens that edition: `cop/roadmap/edition.py`.)
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from cop.auth.models import User
from cop.commitments import drafts, sealing, services
from cop.commitments.models import Commitment, CommitmentVersion
from cop.conferences.models import Party
from cop.db import db
from cop.errors import Invalid
from cop.reference.models import Sector


@dataclass
class StartingPoint:
    """A version a new draft may copy, with its key in forms and a label a person reads."""

    key: str
    label: str
    version: CommitmentVersion


def starting_points(party: Party) -> list[StartingPoint]:
    """The party's commitments, each as its latest version (draft included: it is the party's own)."""
    points = []
    for commitment in db.session.scalars(db.select(Commitment).filter_by(party_id=party.id).order_by(Commitment.id)):
        latest = commitment.versions[-1]
        points.append(StartingPoint(f"copy-{commitment.id}", _("Une copie de « %(sector)s » (version %(n)s)",
                                                               sector=commitment.sector.name, n=latest.number),
                                    latest))
    return points


def start(user: User, party: Party, sector: Sector, key: str = "") -> Commitment:
    """Start the commitment of a priority filière, its first draft empty or copied from another commitment."""
    commitment = services.start_commitment(user, party, sector)
    if not key:
        return commitment
    point = next((p for p in starting_points(party) if p.key == key and p.version.commitment_id != commitment.id),
                 None)
    if point is None:
        raise Invalid("Ce point de départ n’est pas un engagement de la partie.")
    snapshot = drafts.snapshot(point.version, keep_justification=False)
    drafts.write(commitment.versions[-1], sealing.unsealed_snapshot(point.version, snapshot), party)
    services.touch(commitment)
    return commitment
