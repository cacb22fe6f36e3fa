"""What a party's delegation sees on landing: its commitments, their state, and what is asked of it."""
from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext as _
from flask import url_for

from cop.commitments import drafts, queries as commitment_queries
from cop.commitments.models import Commitment
from cop.conferences.models import Membership, Party
from cop.db import db
from cop.roadmap.models import Roadmap, RoadmapVersion, Signature
from cop.rulebook.phases import in_phase


@dataclass
class Ask:
    """One thing asked of the party: what, why, and where to do it."""

    text: str
    url: str
    detail: str = ""


@dataclass
class PartyWork:
    """A delegation's landing: the party, its commitments and what is asked of it."""

    membership: Membership
    commitments: list[Commitment] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)

    @property
    def party(self) -> Party:
        return self.membership.party


def party_work(membership: Membership) -> PartyWork:
    """The party's commitments and, when the member files for it, what it must do next."""
    party = membership.party
    work = PartyWork(membership, commitment_queries.party_commitments(party))
    if membership.role == "head_of_delegation" or membership.may_file:
        work.asks = _asks(party, work.commitments)
    return work


def _asks(party: Party, commitments: list[Commitment]) -> list[Ask]:
    """Filing, returned versions, open drafts, the roadmap to sign, progress to report."""
    conference, asks = party.conference, []
    desk = url_for("commitments.party", conference_id=conference.id, party_id=party.id)
    if in_phase("commitment.file", conference) and not commitments:
        asks.append(Ask(_("Déclarer vos filières prioritaires et déposer vos engagements"), desk))
    for commitment in commitments:
        asks += _commitment_asks(commitment)
    version = _adopted_version(conference.id)
    if version is not None and in_phase("roadmap.sign", conference) and not _signed(version, party):
        asks.append(Ask(_("Signer la feuille de route adoptée"),
                        url_for("roadmap.show", conference_id=conference.id)))
    if in_phase("progress.report", conference) and version is not None:
        asks.append(Ask(_("Rendre compte de l’avancement de vos cibles"),
                        url_for("followup.scorecard", conference_id=conference.id, party_id=party.id)))
    return asks


def _commitment_asks(commitment: Commitment) -> list[Ask]:
    """A version returned by the presidency, or a draft not yet submitted."""
    url = url_for("commitments.show", conference_id=commitment.conference_id, commitment_id=commitment.id)
    if commitment.status == "returned":
        latest = commitment_queries.latest_public(commitment)
        return [Ask(_("Revoir « %(sector)s » : la présidence a renvoyé la version %(n)s",
                      sector=commitment.sector.name, n=latest.number), url, latest.review_comment)]
    if drafts.current_draft(commitment) is not None:
        edit = url_for("commitments.edit", conference_id=commitment.conference_id, commitment_id=commitment.id)
        return [Ask(_("Soumettre le brouillon « %(sector)s »", sector=commitment.sector.name), edit)]
    return []


def _adopted_version(conference_id: int) -> Optional[RoadmapVersion]:
    """The roadmap version in force."""
    return db.session.scalar(db.select(RoadmapVersion).join(Roadmap).where(
        Roadmap.conference_id == conference_id, RoadmapVersion.state == "adopted"))


def _signed(version: RoadmapVersion, party: Party) -> bool:
    """Whether the party signed that version."""
    return db.session.scalar(db.select(Signature.id).filter_by(version_id=version.id, party_id=party.id)) is not None
