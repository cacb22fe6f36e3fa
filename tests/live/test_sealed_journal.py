"""Sealed content never reaches the live journal.

The real paths that carry commitments into a meeting are driven through a real live server and real websockets
clients: the roadmap consolidated from the commitments is put on a public plenary's agenda and adopted there by
consensus (the gavel falls by itself); the party of a sealed commitment then signs and asks to lower its pledge,
which the rules put on the same plenary's agenda, and the plenary's decision files the amended version of the
sealed commitment. Neither an anonymous watcher nor another party's delegate ever receives the marker hidden in the
commitment (and in the site it uses) — in the snapshots or the events — nor do the journal rows or the adopted
roadmap versions hold it; after the reveal the amended version carries the real texts and the seal verifies.
"""
import asyncio
import json

from cop.commitments.models import CommitmentVersion
from cop.db import db
from cop.meetings.models import MeetingEvent
from cop.roadmap import adoption, amendments, services, signatures
from cop.roadmap.models import RoadmapAmendment, RoadmapVersion
from cop.rulebook.enums import AmendmentState
from cop.seals import operations as seals
from cop.seals.verify import verify_all
from cop.sites import operations as site_operations
from cop.territories.models import Commune
from tests import seal_helpers
from tests.factories import PASSWORD
from tests.live.conftest import Peer, live, run, token_for  # noqa: F401  (live is a fixture)
from tests.roadmap import scenario as sc

MARKER = "ZQX-JOURNAL-4471"
REASON = "Le site industriel ferme : la cible d’emplois baisse de cinquante postes."


def _world(make):
    """Three parties; the third's commitment sealed, filed and accepted, using a sealed site; a public plenary."""
    s = sc.build(make, phase="call_for_commitments")
    sealed = seal_helpers.sealed_commitment(s.heads[2], s.parties[2], s.sectors[1], s.presidency, MARKER)
    commune = db.session.scalar(db.select(Commune).filter_by(code="01001"))
    site = seal_helpers.sealed_site(s.presidency, s.conference, commune, MARKER)
    site_operations.link(s.presidency, site, sealed.id, "uses")
    s.conference.phase, s.conference.objection_window_seconds = "adoption", 1
    s.plenary.is_public = True
    db.session.commit()
    return s, sealed, site


class Recording(Peer):
    """A real client that keeps every frame it receives (snapshot first), whatever the test consumes."""

    received: list = []

    def __init__(self, ws, first):
        super().__init__(ws, first)
        self.received.append(first)

    async def recv(self, timeout: float = 5) -> dict:
        frame = await super().recv(timeout)
        self.received.append(frame)
        return frame


async def _decide(chair: Peer, watchers: list[Peer], item_id: int, present: list[int]) -> None:
    """The chair opens the item, records the roll call and proposes adoption; the gavel falls by itself."""
    for name, args in (("item.open", {"item_id": item_id}), ("rollcall.record", {"present": present,
                                                                                  "item_id": item_id}),
                       ("decision.propose", {"item_id": item_id})):
        ack = await chair.command(name, args)
        assert ack["type"] == "ack", ack
    for peer in (chair, *watchers):
        await peer.event("decision.adopted")


def test_a_sealed_commitment_never_reaches_the_live_journal(live, make):
    s, sealed, site = _world(make)
    draft = services.generate_draft(s.secretariat, s.conference)
    item = adoption.submit(s.secretariat, draft, s.plenary)
    db.session.commit()
    assert sealed.seal_digest in json.dumps(draft.content) and MARKER not in json.dumps(draft.content)
    present = [p.id for p in s.parties]
    frames = Recording.received = []

    async def first_part():
        chair = await Peer.join(live.url, s.plenary.id, token_for(live.app, s.presidency, s.plenary))
        citizen = await Recording.join(live.url, s.plenary.id)
        other = await Recording.join(live.url, s.plenary.id, token_for(live.app, s.heads[1], s.plenary))
        assert citizen.first["type"] == other.first["type"] == "snapshot"
        await _decide(chair, [citizen, other], item.id, present)
        await asyncio.sleep(0.5)  # let the frames following the gavel arrive
        for peer in (citizen, other):
            while True:
                try:
                    await peer.recv(0.5)
                except asyncio.TimeoutError:
                    break
        for peer in (chair, citizen, other):
            await peer.close()
    run(first_part())
    db.session.expire_all()
    adopted = db.session.get(RoadmapVersion, draft.id)
    assert adopted.state == "adopted"
    signatures.sign(s.heads[2], adopted, s.parties[2], adopted.sha256, password=PASSWORD)
    amendment = amendments.request(s.heads[2], s.parties[2], sealed.id,
                                   {"jobs-created": {"unconditional": "200", "conditional": "50"}}, "closure", REASON)
    db.session.commit()
    amendment_id, amendment_item = amendment.id, amendment.agenda_item_id

    async def second_part():
        chair = await Peer.join(live.url, s.plenary.id, token_for(live.app, s.presidency, s.plenary))
        citizen = await Recording.join(live.url, s.plenary.id)
        other = await Recording.join(live.url, s.plenary.id, token_for(live.app, s.heads[1], s.plenary))
        await _decide(chair, [citizen, other], amendment_item, present)
        await Recording.join(live.url, s.plenary.id)  # a fresh snapshot, after everything
        for peer in (citizen, other):
            while True:
                try:
                    await peer.recv(0.5)
                except asyncio.TimeoutError:
                    break
        for peer in (chair, citizen, other):
            await peer.close()
    run(second_part())
    db.session.expire_all()
    amendment = db.session.get(RoadmapAmendment, amendment_id)
    assert amendment.state == AmendmentState.ADOPTED
    names = {f.get("name") for f in frames if f["type"] == "event"}
    assert {"item.opened", "decision.proposed", "decision.adopted"} <= names and len(frames) > 10
    received = json.dumps(frames, ensure_ascii=False)
    assert MARKER not in received and "Friche" not in received
    rows = db.session.scalars(db.select(MeetingEvent).filter_by(meeting_id=s.plenary.id)).all()
    assert len(rows) >= 6 and all(MARKER not in json.dumps(r.data, ensure_ascii=False) for r in rows)
    versions = db.session.scalars(db.select(RoadmapVersion)).all()
    assert len(versions) == 2 and all(MARKER not in (v.canonical_json or json.dumps(v.content)) for v in versions)
    amended = db.session.get(CommitmentVersion, amendment.new_commitment_version_id)
    assert amended.commitment_id == sealed.id and amended.scope == "" and amended.sites == []
    seals.reveal(s.heads[2], db.session.get(type(sealed), sealed.id))
    db.session.commit()
    db.session.refresh(amended)
    assert MARKER in amended.scope and MARKER in amended.sites[0].name and REASON in amended.justification
    assert verify_all(s.conference.id)[2] == []
