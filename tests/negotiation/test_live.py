"""The negotiation through a real live server: every client sees each step, the gavel falls by itself, the
quorum comes from measured presence, and a secret vote leaves no trace of choices in the server's logs."""
import asyncio
import logging
from datetime import timedelta

from cop.db import db, utcnow
from cop.meetings.models import MeetingEvent
from cop.meetings.services import run_command
from cop.negotiation.votes.ballots import new_receipt
from cop.negotiation.decisions.models import ObjectionWindow
from cop.negotiation.votes.models import Vote
from tests.live.conftest import Peer, live, run, token_for  # noqa: F401  (live is a fixture)
from tests.negotiation.conftest import build

NEW = "Les parties s’engagent à réhabiliter 200 hectares de friches."


def clean(neg):
    """Resolve the draft's bracket (web door), so that the item may be adopted."""
    run_command(neg.meeting.id, neg.u.chair, "text.resolve", {"paragraph_id": neg.p[0], "version": 1, "group": 0,
                                                               "option": 1})
    db.session.commit()


async def join(live, neg, user=None):
    """A peer for a user (or a watch-only citizen)."""
    token = token_for(live.app, user, neg.meeting) if user else None
    peer = await Peer.join(live.url, neg.meeting.id, token)
    assert peer.first["type"] == "snapshot"
    return peer


def test_amendment_integration_and_a_gavel_that_falls_by_itself(live, neg):
    neg.conf.objection_window_seconds = 1
    db.session.commit()
    clean(neg)

    async def scenario():
        chair, lyon = await join(live, neg, neg.u.chair), await join(live, neg, neg.u.lyon_delegate)
        grenoble, citizen = await join(live, neg, neg.u.grenoble), await join(live, neg)
        assert citizen.first["state"]["negotiation"]["drafts"][0]["is_clean"] is True
        ack = await lyon.command("amendment.table", {"paragraph_id": neg.p[1], "kind": "replace", "text": NEW,
                                                     "version": 1, "explanation": "Ambition."})
        tabled = await citizen.event("amendment.tabled")
        assert ack["seq"] == tabled["seq"] and tabled["data"]["amendment"]["party"] == "Métropole de Lyon"
        refused = await lyon.command("amendment.integrate", {"amendment_id": tabled["data"]["amendment"]["id"]})
        assert refused["type"] == "error" and refused["code"] == "forbidden"
        await chair.command("amendment.integrate", {"amendment_id": tabled["data"]["amendment"]["id"]})
        for peer in (lyon, citizen):
            integrated = await peer.event("amendment.integrated")
            assert integrated["data"]["draft"]["paragraphs"][1]["text"] == NEW
        await chair.command("decision.propose", {"item_id": neg.item.id})
        proposed = await citizen.event("decision.proposed")
        objection = await grenoble.command("objection.raise", {"window_id": proposed["data"]["window"]["id"],
                                                               "reason": "Nous réservons notre position."})
        assert objection["type"] == "ack"
        raised = await citizen.event("objection.raised")
        await grenoble.command("objection.withdraw", {"objection_id": raised["data"]["objection"]["id"]})
        adopted = [await peer.event("decision.adopted") for peer in (chair, lyon, citizen)]
        assert {a["data"]["decision"]["reference"] for a in adopted} == {"Décision 1/COP-AURA-2027"}
        assert adopted[2]["actor"] is None
        for peer in (chair, lyon, grenoble, citizen):
            await peer.close()
    run(scenario())
    seqs = db.session.scalars(db.select(MeetingEvent.seq).order_by(MeetingEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_window_without_a_timer_is_settled_by_the_next_tick(live, neg):
    """As after a restart of the live server: the proposal came through the web door, no timer was set."""
    clean(neg)
    run_command(neg.meeting.id, neg.u.chair, "decision.propose", {"item_id": neg.item.id})
    db.session.commit()

    async def scenario():
        citizen = await join(live, neg)
        window = db.session.scalar(db.select(ObjectionWindow))
        window.ends_dt = utcnow() - timedelta(seconds=1)
        db.session.commit()
        adopted = await citizen.event("decision.adopted")
        assert adopted["data"]["window"]["state"] == "adopted"
        await citizen.close()
    run(scenario())


def test_the_quorum_comes_from_measured_presence(live, make):
    neg = build(make, called=False, decision_mode="vote", quorum_percent=100)
    clean(neg)

    async def scenario():
        chair, lyon = await join(live, neg, neg.u.chair), await join(live, neg, neg.u.lyon)
        everyone = [neg.lyon.id, neg.grenoble.id, neg.annecy.id]
        refused = await chair.command("vote.open", {"item_id": neg.item.id, "present": everyone})
        assert refused["type"] == "error" and "1 délégation(s) présente(s) sur 3" in refused["message"]
        others = [await join(live, neg, neg.u.grenoble), await join(live, neg, neg.u.annecy)]
        await asyncio.sleep(0.1)
        assert (await chair.command("vote.open", {"item_id": neg.item.id, "present": []}))["type"] == "ack"
        opened = await lyon.event("vote.opened")
        assert opened["data"]["vote"]["present"] == 3
        for peer in [chair, lyon, *others]:
            await peer.close()
    run(scenario())


def test_a_secret_vote_through_the_server_logs_no_choice(live, make, caplog):
    caplog.set_level(logging.DEBUG)
    neg = build(make, decision_mode="vote", secret_ballot=True)
    clean(neg)
    receipts = {}

    async def scenario():
        peers = {name: await join(live, neg, getattr(neg.u, name)) for name in ("chair", "lyon", "grenoble", "annecy")}
        await asyncio.sleep(0.1)
        await peers["chair"].command("vote.open", {"item_id": neg.item.id})
        vote_id = (await peers["lyon"].event("vote.opened"))["data"]["vote"]["id"]
        for name, choice in (("lyon", "yes"), ("grenoble", "no"), ("annecy", "yes")):
            receipts[name] = new_receipt()
            ack = await peers[name].command("vote.cast", {"vote_id": vote_id, "choice": choice,
                                                          "receipt": receipts[name]})
            assert ack["type"] == "ack"
        await peers["grenoble"].command("vote.change", {"vote_id": vote_id, "choice": "yes",
                                                        "receipt": receipts["grenoble"]})
        casts = [await peers["chair"].event("vote.cast") for _ in range(3)]
        assert [c["data"]["party"] for c in casts] == ["Métropole de Lyon", "Grenoble-Alpes-Métropole",
                                                       "CA du Grand Annecy"]
        assert all("choice" not in c["data"] for c in casts)
        await peers["chair"].command("vote.close", {"vote_id": vote_id})
        closed = await peers["annecy"].event("vote.closed")
        assert closed["data"]["vote"]["result"]["counts"] == {"yes": 3, "no": 0, "abstain": 0}
        assert closed["data"]["decision"]["reference"] == "Décision 1/COP-AURA-2027"
        for peer in peers.values():
            await peer.close()
    run(scenario())
    assert db.session.scalar(db.select(Vote)).outcome == "adopted"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(receipt in logged for receipt in receipts.values())
    assert "'yes'" not in logged and "'no'" not in logged
