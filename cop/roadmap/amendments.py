"""Amending an adopted roadmap: a party asks to lower pledges it signed, with a reason; the request is put on the
agenda of the next plenary (adoption phase) or review session (implementation); the decision adopting that item —
by the meeting's own machinery, from the web or the live door alike (`decision_adopted`) — adopts version N+1,
whose canonical JSON names version N's SHA-256 and lists the changes (`amended.py`). Only the party concerned signs
again.
"""
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l

from cop.audit.services import record
from cop.auth.models import User
from cop.commitments.models import Commitment, CommitmentVersion
from cop.conferences.models import Conference, Party
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid, NotFound
from cop.meetings.models import AgendaItem, Meeting
from cop.numbers import parse_decimal
from cop.roadmap.models import RoadmapAmendment, RoadmapCommitment, RoadmapVersion
from cop.roadmap.services import latest, roadmap_of
from cop.rulebook import Answer, allowed, ask
from cop.rulebook.enums import AmendmentReason, AmendmentState, MeetingKind, MeetingState
from cop.rulebook.phases import SITTING

REASON_LABELS = {AmendmentReason.CLOSURE: _l("Fermeture d’un site"),
                 AmendmentReason.FORCE_MAJEURE: _l("Force majeure"),
                 AmendmentReason.PROJECT_ABANDONED: _l("Projet abandonné"),
                 AmendmentReason.OTHER: _l("Autre motif")}
STATE_LABELS = {AmendmentState.REQUESTED: _l("Inscrite à l’ordre du jour"), AmendmentState.ADOPTED: _l("Adoptée"),
                AmendmentState.REJECTED: _l("Non adoptée")}
#: The kinds of meeting that decide an amendment: the plenary, or in implementation the review session.
DECIDING = (MeetingKind.PLENARY, MeetingKind.REVIEW)
MAX_REASON = 2_000


def may_request(user, party: Optional[Party]) -> Answer:
    """The rulebook's answer: may this person ask to amend the roadmap for this party now?"""
    return ask("roadmap.amend", user, party)


def in_force(conference: Conference) -> Optional[RoadmapVersion]:
    """The adopted version in force."""
    return latest(roadmap_of(conference), "adopted")


def chain_of(version: RoadmapVersion) -> list[RoadmapVersion]:
    """The frozen versions up to this one, oldest first: the chain a reader checks link by link."""
    return [v for v in version.roadmap.versions if v.is_frozen and v.number <= version.number]


def of_conference(conference: Conference) -> list[RoadmapAmendment]:
    """Every amendment request of the COP, newest first."""
    return list(db.session.scalars(db.select(RoadmapAmendment).filter_by(conference_id=conference.id)
                                   .order_by(RoadmapAmendment.id.desc())))


def signed_commitments(version: RoadmapVersion, party: Party) -> list[CommitmentVersion]:
    """The party's commitment versions the adopted version holds (what an amendment may lower)."""
    return list(db.session.scalars(
        db.select(CommitmentVersion).join(RoadmapCommitment, RoadmapCommitment.commitment_version_id
                                          == CommitmentVersion.id)
        .where(RoadmapCommitment.version_id == version.id, RoadmapCommitment.party_id == party.id)
        .order_by(CommitmentVersion.id)))


def _base(party: Party, commitment_id) -> tuple[RoadmapVersion, CommitmentVersion]:
    """The version in force, signed by the party, and the party's commitment version in it."""
    from cop.roadmap.signatures import effective_signature

    version = in_force(party.conference)
    if version is None:
        raise Conflict("Aucune feuille de route n’est adoptée : il n’y a rien à modifier.")
    if effective_signature(version, party) is None:
        raise Conflict("« %(party)s » n’a pas signé la feuille de route en vigueur : ses engagements se révisent "
                       "par une nouvelle version, sans modification de la feuille de route.", party=party.name)
    found = next((cv for cv in signed_commitments(version, party) if cv.commitment_id == commitment_id), None)
    if found is None:
        raise NotFound("Cet engagement ne figure pas parmi ceux de la partie dans la feuille de route en vigueur.")
    return version, found


def _check_commitment(commitment: Commitment, signed: CommitmentVersion) -> None:
    """One request at a time per commitment, and none over a version still under review."""
    if db.session.scalar(db.select(RoadmapAmendment.id).filter_by(commitment_id=commitment.id,
                                                                  state=AmendmentState.REQUESTED)):
        raise Conflict("Une demande de modification de cet engagement attend déjà la décision de la séance.")
    if any(v.number > signed.number and v.status == "submitted" for v in commitment.versions):
        raise Conflict("Une version plus récente de cet engagement attend l’examen de la présidence : attendez "
                       "son issue avant de demander une modification.")


def _values(signed: CommitmentVersion, given: dict) -> list[dict]:
    """The values asked for each signed pledge: numbers, never above what was signed, at least one lower."""
    asked, lowered = [], False
    for pledge in signed.pledges:
        code = pledge.indicator.code
        raw = given.get(code, {})
        try:
            unconditional = parse_decimal(str(raw.get("unconditional", pledge.unconditional_value)))
            conditional = parse_decimal(str(raw.get("conditional", pledge.conditional_value)))
        except ValueError:
            raise Invalid("La valeur demandée pour « %(name)s » n’est pas un nombre.", name=pledge.indicator.name) \
                from None
        if unconditional is None or conditional is None or unconditional < 0 or conditional < 0:
            raise Invalid("La valeur demandée pour « %(name)s » est un nombre positif ou nul.",
                          name=pledge.indicator.name)
        if unconditional > pledge.unconditional_value or \
                unconditional + conditional > pledge.unconditional_value + pledge.conditional_value:
            raise Invalid("Une modification ne fait que baisser une cible signée : « %(name)s » ne peut dépasser "
                          "ce qui a été signé.", name=pledge.indicator.name)
        lowered = lowered or unconditional < pledge.unconditional_value or conditional < pledge.conditional_value
        asked.append({"indicator": code, "unconditional": str(unconditional.quantize(Decimal("0.01"))),
                      "conditional": str(conditional.quantize(Decimal("0.01")))})
    unknown = set(given) - {p.indicator.code for p in signed.pledges}
    if unknown:
        raise Invalid("Cet engagement n’a pas de cible signée « %(code)s ».", code=sorted(unknown)[0])
    if not lowered:
        raise Invalid("La demande ne baisse aucune cible : il n’y a rien à modifier.")
    return asked


def _clean_reason(reason_kind: str, reason: str) -> str:
    """A known kind of reason and the party's own explanation."""
    if reason_kind not in set(AmendmentReason):
        raise Invalid("Choisissez le motif de la demande (fermeture, force majeure, projet abandonné, autre).")
    reason = (reason or "").strip()
    if len(reason) < 10 or len(reason) > MAX_REASON:
        raise Invalid("Expliquez la demande en 10 à %(n)s caractères.", n=MAX_REASON)
    return reason


def next_meeting(conference: Conference) -> Meeting:
    """The next meeting that decides an amendment now: a plenary, or a review session in implementation."""
    kinds = [k for k in DECIDING if conference.phase in SITTING[k]]
    meeting = db.session.scalar(
        db.select(Meeting).where(Meeting.conference_id == conference.id, Meeting.kind.in_(kinds),
                                 Meeting.state != MeetingState.CLOSED).order_by(Meeting.starts_dt).limit(1))
    if meeting is None:
        raise Conflict("Aucune séance plénière ni session de revue n’est convoquée : la demande y est inscrite "
                       "d’office, demandez à la présidence d’en convoquer une.")
    return meeting


def _add_item(meeting: Meeting, party: Party, commitment: Commitment, reason: str) -> AgendaItem:
    """Append the request to the meeting's agenda (the rules of procedure put it there, not the party's hand)."""
    title = f"Modification de la feuille de route demandée par « {party.name} » ({commitment.sector.name})"[:200]
    item = AgendaItem(position=len(meeting.items) + 1, title=title, description=reason)
    meeting.items.append(item)
    meeting.version += 1
    db.session.flush()
    return item


def request(user: User, party: Party, commitment_id, values: dict, reason_kind: str, reason: str) \
        -> RoadmapAmendment:
    """A party asks to lower pledges it signed; the request goes on the next deciding meeting's agenda."""
    allowed("roadmap.amend", user, party)
    version, signed = _base(party, commitment_id)
    commitment = signed.commitment
    _check_commitment(commitment, signed)
    asked = _values(signed, values or {})
    reason = _clean_reason(reason_kind, reason)
    meeting = next_meeting(party.conference)
    item = _add_item(meeting, party, commitment, reason)
    amendment = RoadmapAmendment(conference_id=party.conference_id, party_id=party.id, commitment_id=commitment.id,
                                 base_version_id=version.id, commitment_version_id=signed.id, pledges=asked,
                                 reason_kind=reason_kind, reason=reason, state=AmendmentState.REQUESTED,
                                 agenda_item_id=item.id, requested_by_id=user.id, requested_dt=utcnow())
    db.session.add(amendment)
    db.session.flush()
    record("roadmap.amendment_requested", "roadmap_amendment", amendment.id, actor=user,
           conference_id=party.conference_id,
           data={"party": party.id, "commitment": commitment.id, "base": version.number, "pledges": asked,
                 "reason_kind": reason_kind, "meeting": meeting.id, "item": item.id})
    return amendment
