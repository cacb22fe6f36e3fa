"""Hellos that arrive together are admitted in batches: each client still gets exactly its own answer."""
import asyncio
import json

from cop.db import db
from cop.errors import DomainError
from cop.live import work
from cop.live.tokens import TokenError
from tests.live.conftest import Peer, run, token_for


def test_admit_many_answers_each_request_on_its_own(app, room):
    room.meeting.is_public = False
    room.b.is_disabled = True
    db.session.commit()
    requests = [(None, None, "fr"), (room.a.id, room.a.session_nonce, "fr"), (room.outsider.id,
                room.outsider.session_nonce, "en"), (room.b.id, room.b.session_nonce, "fr"),
                (room.a2.id, "stale-nonce", "fr"), (room.a2.id, room.a2.session_nonce, "en"), (None, None, "fr")]
    answers = work.admit_many(room.meeting.id, requests, room_info=True)
    citizen, alice, outsider, disabled, ended, arnaud, citizen_again = answers
    assert isinstance(citizen, DomainError) and citizen.code == "forbidden" and citizen_again is citizen
    assert alice["you"]["user_id"] == room.a.id and alice["you"]["party_id"] == room.party_a.id
    assert alice["accredited"] and alice["room_info"] is True
    assert isinstance(outsider, DomainError) and outsider.code == "forbidden"
    assert isinstance(disabled, DomainError) and disabled.code == "forbidden"
    assert isinstance(ended, TokenError) and ended.code == "session_ended"
    assert arnaud["you"]["user_id"] == room.a2.id and arnaud is not alice
    # The same answers as one admission at a time (the reasons in each reader's language).
    single = work.admit(room.meeting.id, room.a2.id, room.a2.session_nonce, "en")
    assert single["roles"] == arnaud["roles"] and single["you"] == arnaud["you"]
    assert work.admit_many(room.meeting.id + 999, [(None, None, "fr")])[0].code == "not_found"


def test_a_crowd_of_hellos_is_admitted_in_few_batches_each_with_its_own_answer(live, room, monkeypatch):
    real, batches = work.admit_many, []

    def counting(meeting_id, requests, room_info=True):
        batches.append(len(requests))
        return real(meeting_id, requests, room_info)

    monkeypatch.setattr(work, "admit_many", counting)
    room.a.session_nonce = "old"  # a token issued before the nonce changed: its session ended
    stale = token_for(live.app, room.a, room.meeting)
    room.a.session_nonce = "new"
    db.session.commit()

    async def scenario():
        joins = [Peer.join(live.url, room.meeting.id) for _ in range(40)]
        joins += [Peer.join(live.url, room.meeting.id, token_for(live.app, room.a2, room.meeting)),
                  Peer.join(live.url, room.meeting.id, token_for(live.app, room.b, room.meeting)),
                  Peer.join(live.url, room.meeting.id, stale),
                  Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))]
        peers = await asyncio.gather(*joins)
        *citizens, arnaud, bruno, ended, chair = peers
        assert {p.first["type"] for p in citizens} == {"snapshot"}
        assert {json.dumps(p.first["you"]) for p in citizens} == {json.dumps(citizens[0].first["you"])}
        assert citizens[0].first["you"]["watch_only"] is True
        assert arnaud.first["you"]["user_id"] == room.a2.id and arnaud.first["you"]["party_id"] == room.party_a.id
        assert bruno.first["you"]["user_id"] == room.b.id and bruno.first["you"]["party_id"] == room.party_b.id
        assert ended.first["code"] == "session_ended"
        assert chair.first["you"]["can_chair"] is True and citizens[0].first["you"]["can_chair"] is False
        # The shared `may` is that of each reader's roles: the chair may open the meeting, a citizen may not.
        assert chair.first["may"]["meeting_open"]["ok"] is True
        assert citizens[0].first["may"]["meeting_open"]["ok"] is False
        for peer in peers:
            await peer.close()
    run(scenario())
    assert sum(batches) == 44 and len(batches) < 44
