"""Ending a web session ends its live side: logout, a new password, an administrator's revocation or disabling."""
import asyncio

import pytest
from websockets.exceptions import ConnectionClosed

from cop.auth.models import User
from cop.db import db
from cop.meetings.models import MeetingEvent
from tests.factories import PASSWORD
from tests.live.conftest import Peer, run, token_for

ENDINGS = ("logout", "password", "revoke", "disable")


def _end(how: str, client, runner, user: User) -> None:
    """End the user's session the way a person (or an administrator) would."""
    if how == "logout":
        assert client.post("/auth/logout").status_code == 302
    elif how == "password":
        response = client.post("/auth/compte", data={"current": PASSWORD, "password": "un-nouveau-secret",
                                                     "confirm": "un-nouveau-secret"})
        assert response.status_code == 302, response.text
    else:
        result = runner.invoke(args=["cop", "user", how, user.email])
        assert result.exit_code == 0, result.output


async def _closed_within(peer: Peer, seconds: float) -> int:
    """The close code the server sends within `seconds` (frames before it are ignored)."""
    try:
        while True:
            await asyncio.wait_for(peer.ws.recv(), seconds)
    except ConnectionClosed:
        return peer.ws.close_code
    except asyncio.TimeoutError:
        pytest.fail(f"the connection was still open after {seconds} s")


def _amendments_by(user: User) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(MeetingEvent)
                             .filter_by(actor_id=user.id, name="floor.requested"))


@pytest.mark.parametrize("how", ENDINGS)
def test_ending_a_session_ends_its_live_connections_and_tokens(live, app, room, client, auth, runner, how):
    assert auth.login(room.a.email).status_code == 302
    other_device = app.test_client()
    other_device.post("/auth/login", data={"email": room.a.email, "password": PASSWORD})
    assert other_device.get("/auth/compte").status_code == 200
    page_token = client.get(f"/meetings/{room.meeting.id}/live-token").get_json()["token"]

    async def scenario():
        chair = await Peer.join(live.url, room.meeting.id, token_for(live.app, room.chair, room.meeting))
        await chair.command("meeting.open")
        acting = await Peer.join(live.url, room.meeting.id, page_token)
        idle = await Peer.join(live.url, room.meeting.id, page_token)
        assert acting.first["type"] == "snapshot" and idle.first["type"] == "snapshot"
        assert (await acting.command("floor.request"))["type"] == "ack"
        await acting.command("floor.withdraw", {"request_id": (await chair.event("floor.requested"))["data"]
                                                ["request"]["id"]})
        _end(how, client, runner, room.a)
        # The open socket stops acting at once, then is closed; the idle one is closed by the re-check.
        try:
            refused = await acting.command("floor.request")
            assert refused["type"] == "error" and refused["code"] in ("session_ended", "forbidden")
        except ConnectionClosed:  # the re-check was quicker than the command
            pass
        assert await _closed_within(acting, 8) in (4401, 4403)
        assert await _closed_within(idle, 8) in (4401, 4403)
        # The token fetched before the end opens nothing any more.
        again = await Peer.join(live.url, room.meeting.id, page_token)
        assert again.first["type"] == "error" and again.first["code"] in ("session_ended", "forbidden")
        assert await _closed_within(again, 8) in (4401, 4403)
        await chair.close()
    run(scenario())
    assert _amendments_by(room.a) == 1
    # Every web session is over too (a new password keeps only the device that typed it).
    assert other_device.get("/auth/compte").status_code == 302
    assert client.get("/auth/compte").status_code == (200 if how == "password" else 302)


def test_a_new_login_gets_a_token_that_works(live, room, client, auth):
    auth.login(room.a.email)
    old = client.get(f"/meetings/{room.meeting.id}/live-token").get_json()["token"]
    client.post("/auth/logout")
    auth.login(room.a.email)
    fresh = client.get(f"/meetings/{room.meeting.id}/live-token").get_json()["token"]

    async def scenario():
        assert (await Peer.join(live.url, room.meeting.id, old)).first["code"] == "session_ended"
        peer = await Peer.join(live.url, room.meeting.id, fresh)
        assert peer.first["type"] == "snapshot" and peer.first["you"]["user_id"] == room.a.id
        await peer.close()
    run(scenario())


def test_a_token_without_a_session_is_refused(live, room):
    from cop.live.tokens import _serializer

    forged = _serializer(live.app.config["SECRET_KEY"]).dumps({"u": room.a.id, "m": room.meeting.id})

    async def scenario():
        peer = await Peer.join(live.url, room.meeting.id, forged)
        assert peer.first["code"] == "bad_token"
    run(scenario())
