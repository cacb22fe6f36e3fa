"""A room's outbox: events delivered in one turn of the event loop leave as one message, in seq order; a client that
joins the stream meanwhile gets no event twice and none missing; `may` and presence follow the events before them.
Real websockets connections, read back by real clients."""
import asyncio
from types import SimpleNamespace

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from cop.live.rooms import Client, Room
from cop.live.wire import frames_of
from cop.rulebook.answer import YES
from cop.rulebook.live import MEETING_ACTIONS
from tests.live.conftest import run


def _event(seq: int, **data) -> dict:
    return {"type": "event", "seq": seq, "name": "floor.requested", "data": data}


async def _pair():
    """A server keeping its connections, and a function opening a client: (server, connections, open_client)."""
    connections = []

    async def handler(ws):
        connections.append(ws)
        await ws.wait_closed()

    server = await serve(handler, "127.0.0.1", 0, compression=None)
    url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"

    async def open_client():
        client = await connect(url, compression=None)
        while len(connections) < open_client.count + 1:
            await asyncio.sleep(0.01)
        open_client.count += 1
        return client, connections[-1]
    open_client.count = 0
    return server, open_client


async def _messages(client, quiet: float = 0.3) -> list:
    """Every message until the line stays quiet, each as the list of frames it carried."""
    found = []
    while True:
        try:
            found.append(frames_of(await asyncio.wait_for(client.recv(), quiet)))
        except (asyncio.TimeoutError, TimeoutError):
            return found


def test_events_of_one_turn_leave_together_and_a_joining_client_gets_each_once(app):
    async def scenario():
        server, open_client = await _pair()
        room = Room(SimpleNamespace(app=app), 1, 0, [], 50)
        alice_ws, alice_conn = await open_client()
        alice = Client(alice_conn, None, None, False)
        room.synced_up_to(alice, room.join(alice))

        for seq in (1, 2, 3):  # one turn: one message
            room.publish(_event(seq))
        await asyncio.sleep(0)
        room.publish(_event(4))  # a later turn, alone: an object, as before
        assert [[f["seq"] for f in m] for m in await _messages(alice_ws)] == [[1, 2, 3], [4]]

        # Bruno catches up to seq 5 while event 5 waits in the outbox: he has it from his catch-up, not twice.
        bruno_ws, bruno_conn = await open_client()
        bruno = Client(bruno_conn, None, None, False)
        room.publish(_event(5))
        upto = room.join(bruno)
        assert upto == 5 and room.outbox
        room.synced_up_to(bruno, upto)
        room.publish(_event(6))
        assert [[f["seq"] for f in m] for m in await _messages(alice_ws)] == [[5], [6]]
        assert [[f["seq"] for f in m] for m in await _messages(bruno_ws)] == [[6]]

        # Presence goes after the events delivered before it.
        room.publish(_event(7))
        room.announce_presence(force=True)
        kinds = [[f["type"] for f in m] for m in await _messages(alice_ws)]
        assert kinds == [["event"], ["presence"]]
        for ws in (alice_ws, bruno_ws):
            await ws.close()
        server.close()

    run(scenario())


def test_the_new_may_follows_the_event_that_changed_the_meeting(app):
    """A signed-in reader gets the event that opens the meeting, then its new `may`, never the other way round."""
    async def scenario():
        server, open_client = await _pair()
        room = Room(SimpleNamespace(app=app), 1, 0, [], 50, state="scheduled")
        ws, conn = await open_client()
        reader = Client(conn, 7, None, False, roles={action: YES for action in MEETING_ACTIONS})
        room.synced_up_to(reader, room.join(reader))
        room.publish(_event(1))
        room.publish({"type": "event", "seq": 2, "name": "meeting.opened", "data": {"state": "open"}})
        room.publish(_event(3))
        messages = await _messages(ws)
        assert [[(f["type"], f.get("seq")) for f in m] for m in messages] == [
            [("event", 1), ("event", 2)], [("may", 2)], [("event", 3)]]
        assert room.state == "open" and messages[1][0]["may"]["meeting_open"]["ok"] is False  # open already
        await ws.close()
        server.close()

    run(scenario())
