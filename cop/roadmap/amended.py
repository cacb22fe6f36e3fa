"""Version N+1 from an adopted amendment: the decision on the request's item (web or live door alike, through the
`decision_adopted` signal) files the party's commitment as amended and freezes N+1, chained to N by N's hash."""
import copy
import json
from decimal import Decimal
from types import SimpleNamespace

from cop import canonical
from cop.audit.services import record
from cop.auth.models import User
from cop.commitments import drafts, sealing
from cop.commitments.models import CommitmentVersion
from cop.db import db, utcnow
from cop.errors import Conflict
from cop.roadmap import adoption, consolidate, queries
from cop.roadmap.amendments import REASON_LABELS, signed_commitments
from cop.roadmap.changes import changes
from cop.roadmap.freeze import utc_text
from cop.roadmap.models import RoadmapAmendment, RoadmapCommitment, RoadmapVersion
from cop.roadmap.services import latest
from cop.rulebook.enums import AmendmentState
from cop.signals import decision_adopted


def _new_commitment_version(amendment: RoadmapAmendment, signed: CommitmentVersion) -> CommitmentVersion:
    """The party's commitment as amended: the signed version with the values decided, accepted, a step back shown
    with its reason (an open draft moves after it)."""
    commitment = signed.commitment
    top = max(v.number for v in commitment.versions)
    draft = drafts.current_draft(commitment)
    if draft is not None and draft.number == top:
        draft.number = top + 1
        db.session.flush()
        top -= 1
    # A sealed commitment's signed texts wait in its vault: the amended version starts from them, and joins the
    # vault below (cop/commitments/sealing.py), so that nothing hidden is published and the seal still verifies.
    data = sealing.unsealed_snapshot(signed, drafts.snapshot(signed, keep_justification=False))
    decided = {p["indicator"]: p for p in amendment.pledges}
    for pledge in data.pledges:
        if pledge.indicator in decided:
            pledge.unconditional = Decimal(decided[pledge.indicator]["unconditional"])
            pledge.conditional = Decimal(decided[pledge.indicator]["conditional"])
    now = utcnow()
    new = CommitmentVersion(commitment=commitment, number=top + 1, status="accepted",
                            author_id=amendment.requested_by_id, reference_year=signed.reference_year,
                            target_year=signed.target_year, submitted_dt=now, reviewed_dt=now)
    db.session.add(new)
    drafts.write(new, data, amendment.party)
    new.is_step_back = True
    new.justification = f"{REASON_LABELS[amendment.reason_kind]} — {amendment.reason}"
    db.session.flush()
    if commitment.is_hidden:
        sealing.seal_submitted(new, None)
    return new


def _pledge_rows(chapter: dict) -> list:
    """A chapter's pledges as the rows consolidation sums."""
    return [SimpleNamespace(indicator=p["indicator"], party=p["party"], target_year=p["target_year"],
                            unconditional=Decimal(str(p["unconditional"])),
                            conditional=Decimal(str(p["conditional"])),
                            share=Decimal(str(p.get("share", 100)))) for p in chapter["pledges"]]


def _amended_content(base: RoadmapVersion, amendment: RoadmapAmendment, new: CommitmentVersion) -> dict:
    """Version N's content with the party's pledges of this filière as decided, the sums redone, the step back in
    the annexes and the amendment itself (what, why, whom it concerns, the changes)."""
    content = copy.deepcopy(base.content)
    sector = new.commitment.sector.code
    chapter = next(c for c in content["chapters"] if c["sector"] == sector)
    by_indicator = {p.indicator.code: p for p in new.pledges}
    for entry in chapter["pledges"]:
        pledge = by_indicator.get(entry["indicator"]) if entry["party"] == amendment.party_id else None
        if pledge is not None:
            entry.update(id=pledge.id, version=new.number, unconditional=pledge.unconditional_value,
                         conditional=pledge.conditional_value)
    rows = _pledge_rows(chapter)
    targets = [t for t in queries.targets(base.roadmap.conference_id) if t.sector == sector]
    catalogue = queries.sectors_and_indicators()[1]
    chapter["indicators"] = consolidate.indicator_rows(targets, rows, catalogue)
    chapter["milestones"] = consolidate.milestones(targets, rows)
    content["annexes"]["step_backs"].append({
        "party": amendment.party_id, "party_name": amendment.party.name, "sector": sector,
        "sector_name": chapter["name"], "version": new.number, "justification": new.justification})
    content = json.loads(canonical.dumps(content))
    content["amendment"] = {
        "of_version": base.number, "previous_sha256": base.sha256, "party": amendment.party_id,
        "party_name": amendment.party.name, "sector": sector, "reason_kind": amendment.reason_kind,
        "reason": amendment.reason, "requested_at": utc_text(amendment.requested_dt),
        "parties_concerned": [amendment.party_id], "changes": changes(base.content, content)}
    return json.loads(canonical.dumps(content))


def _adopt(amendment: RoadmapAmendment, decision) -> RoadmapVersion:
    """The decision adopts version N+1: the commitment as amended, the content chained to N, frozen."""
    roadmap = amendment.base_version.roadmap
    base = latest(roadmap, "adopted")
    signed = next((cv for cv in signed_commitments(base, amendment.party) if cv.commitment_id
                   == amendment.commitment_id), None)
    if signed is None:
        raise Conflict("L’engagement à modifier ne figure plus dans la feuille de route en vigueur.")
    new = _new_commitment_version(amendment, signed)
    number = max(v.number for v in roadmap.versions) + 1
    version = RoadmapVersion(roadmap=roadmap, number=number, generated_by_id=amendment.requested_by_id,
                             generated_dt=utcnow(), content=_amended_content(base, amendment, new), state="submitted",
                             agenda_item_id=amendment.agenda_item_id, submitted_dt=utcnow(),
                             previous_sha256=base.sha256)
    db.session.add(version)
    db.session.flush()
    links = [(link.commitment_version_id, link.party_id) for link in db.session.scalars(
        db.select(RoadmapCommitment).filter_by(version_id=base.id))]
    db.session.add_all([RoadmapCommitment(version_id=version.id, party_id=party,
                                          commitment_version_id=new.id if cv == signed.id else cv)
                        for cv, party in links])
    db.session.flush()
    found = SimpleNamespace(decision_id=decision.id, reference=decision.reference, adopted_dt=decision.created_dt)
    actor = db.session.get(User, decision.chair_id) if decision.chair_id else None
    adoption.adopt_version(version, found.decision_id, found.reference, found.adopted_dt, actor)
    amendment.state, amendment.decision_id, amendment.decided_dt = AmendmentState.ADOPTED, decision.id, utcnow()
    amendment.result_version_id, amendment.new_commitment_version_id = version.id, new.id
    db.session.flush()
    record("roadmap.amended", "roadmap_version", version.id, actor=actor, conference_id=roadmap.conference_id,
           data={"amendment": amendment.id, "number": version.number, "sha256": version.sha256,
                 "previous_sha256": version.previous_sha256, "party": amendment.party_id})
    return version


@decision_adopted.connect
def _on_decision(decision, **_) -> None:
    """The meeting decided the item of a pending amendment: adopted (as a whole) → version N+1; taken note of →
    not adopted."""
    amendment = db.session.scalar(db.select(RoadmapAmendment).filter_by(agenda_item_id=decision.agenda_item_id,
                                                                       state=AmendmentState.REQUESTED))
    if amendment is None or decision.paragraph_id is not None:
        return
    if decision.outcome == "adopted":
        _adopt(amendment, decision)
        return
    amendment.state, amendment.decision_id, amendment.decided_dt = AmendmentState.REJECTED, decision.id, utcnow()
    db.session.flush()
    record("roadmap.amendment_not_adopted", "roadmap_amendment", amendment.id, actor=None,
           conference_id=amendment.conference_id, data={"decision": decision.id})
